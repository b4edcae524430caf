using System.Globalization;
using static TorchSharp.torch;

namespace MlNetDeep.Training.Managed;

/// <summary>
/// Chooses the engine of a Fit's epochs. The managed engine (<see cref="ManagedEpochTrainer"/>) trains dense rows, in
/// memory or streamed, through networks without normalization layers (every activation, dropout, loss, example and class weight,
/// penalty, optimizer and clipping option), when a mini-batch's multiply-adds (batch size × Σ inputs·outputs over
/// the layers) are at most <see cref="MaxWorkPerBatch"/>; everything else, and every larger network, trains in libtorch.
/// </summary>
internal static class ManagedTraining
{
    /// <summary>
    /// The largest mini-batch, in multiply-adds of its forward pass (batch size × Σ inputs·outputs), that
    /// <see cref="TrainingEngine.Auto"/> gives the managed engine: where the two engines' epochs cross. Measured with
    /// <c>MlNetDeep.Benchmarks crossover</c> (two hidden layers of 16–256 units, 30 or 784 inputs, batch 32 or 128,
    /// Adam, fastest epoch of two interleaved rounds; 2026-11-26, load average 20–23 from other sessions): the managed
    /// epoch took 0.13–0.52× libtorch's up to 836,608 multiply-adds per batch (one exception, 1.28× at 778,240:
    /// 30→64→64→1 at batch 128) and 1.1–2.6× from 1,738,752 up (one exception, 0.63× at 1,640,448: 784→16→16→1 at
    /// batch 128). Table in the README, "Benchmarks".
    /// </summary>
    public const long MaxWorkPerBatch = 1_000_000;

    /// <summary>Why the managed engine cannot train this Fit; null when it can.</summary>
    public static string? Unsupported(DenseNetworkOptions options, IRowSource data)
    {
        if (data is TensorSet { Sparse: not null })
            return "the rows are sparse (the managed engine trains dense rows)";
        if (data is not (TensorSet or StreamedRows))
            return $"the rows come from a {data.GetType().Name} (the managed engine reads rows in memory or streamed)";
        if (options.Normalization != NormalizationKind.None)
            return string.Create(CultureInfo.InvariantCulture, $"Normalization is {options.Normalization} (the managed engine has no normalization layers)");
        return null;
    }

    /// <summary>Multiply-adds of one full mini-batch's forward pass: batch size × Σ inputs·outputs over the layers.</summary>
    public static long WorkPerBatch(DenseNetworkOptions options, int inputs, int outputs)
    {
        long weights = 0;
        int fanIn = inputs;
        foreach (int width in options.EffectiveHiddenLayerSizes.Append(outputs))
        {
            weights += (long)fanIn * width;
            fanIn = width;
        }
        return weights * options.BatchSize;
    }

    /// <summary>True when the Fit's epochs run on the managed engine.</summary>
    public static bool Chooses(DenseNetworkOptions options, IRowSource data, int outputs)
    {
        switch (options.Engine)
        {
            case TrainingEngine.LibTorch:
                return false;
            case TrainingEngine.Managed:
                if (Unsupported(options, data) is { } reason)
                    throw new InvalidOperationException($"The managed training engine was required, but {reason}.");
                return true;
            default:
                return Unsupported(options, data) is null && WorkPerBatch(options, data.Dimension, outputs) <= MaxWorkPerBatch;
        }
    }

    /// <summary>The epoch trainer of a Fit: managed or libtorch, as <see cref="Chooses"/> decides.</summary>
    public static IEpochTrainer CreateTrainer(NetworkTask task, DenseNetworkModule module, IRowSource data, DenseNetworkOptions options, Generator generator, int outputs) =>
        Chooses(options, data, outputs)
            ? new ManagedEpochTrainer(task, module, data, options, generator, outputs)
            : new TorchEpochTrainer(task, module, data, options, generator);
}
