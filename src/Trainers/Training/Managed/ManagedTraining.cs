using System.Globalization;
using MlNetDeep.Native;
using static TorchSharp.torch;

namespace MlNetDeep.Training.Managed;

/// <summary>
/// Chooses the engine of a Fit's epochs. The managed engine (<see cref="ManagedEpochTrainer"/>) trains dense rows, in
/// memory or streamed, through networks without normalization layers (every activation, dropout, loss, example and
/// class weight, penalty, optimizer and clipping option), with each layer's products as MKL GEMM calls
/// (<see cref="UsesGemm"/>) wherever libtorch exports MKL's sgemm, whatever the network's size; where it does not, with
/// its row-at-a-time kernels when a mini-batch's multiply-adds (batch size × Σ inputs·outputs over the layers) are at
/// most <see cref="MaxWorkPerBatch"/>, and every larger network in libtorch. Everything else (sparse rows,
/// normalization, layers too large for one array) trains in libtorch.
/// </summary>
internal static class ManagedTraining
{
    /// <summary>
    /// Where MKL's sgemm is missing: the largest mini-batch, in multiply-adds of its forward pass (batch size ×
    /// Σ inputs·outputs), that <see cref="TrainingEngine.Auto"/> gives the row-at-a-time managed engine, where its
    /// epochs and libtorch's cross. Measured with <c>MlNetDeep.Benchmarks crossover</c> (two hidden layers of 16–512
    /// units, 30 or 784 inputs, batch 32 or 128, Adam, fastest epoch of two interleaved rounds): on 2026-11-26 at 09:26
    /// and 09:27 UTC (load average 16 from other sessions) up to 1,738,752 multiply-adds the row-at-a-time epoch took
    /// 0.15–1.31× libtorch's (18 of the 22 entries below 0.95), from 2,351,104 up 0.75–2.93×; again at 14:07 UTC (load
    /// average 4–5) 0.07–0.84× up to 1,738,752 and 0.56–3.28× above, crossing between 2.4 and 3.7 million depending on
    /// the shape. With the GEMM products (the same run) every entry, 24,064 to 85 million multiply-adds, took 0.05–0.72×
    /// libtorch's epoch and 0.23–0.71× the row-at-a-time one's, so where sgemm is available this threshold is not used.
    /// Table in the README, "Benchmarks".
    /// </summary>
    public const long MaxWorkPerBatch = 2_000_000;

    /// <summary>Why the managed engine cannot train this Fit (with <paramref name="outputs"/> output units); null when it can.</summary>
    public static string? Unsupported(DenseNetworkOptions options, IRowSource data, int outputs = 1)
    {
        if (data is TensorSet { Sparse: not null })
            return "the rows are sparse (the managed engine trains dense rows)";
        if (data is not (TensorSet or StreamedRows))
            return $"the rows come from a {data.GetType().Name} (the managed engine reads rows in memory or streamed)";
        if (options.Normalization != NormalizationKind.None)
            return string.Create(CultureInfo.InvariantCulture, $"Normalization is {options.Normalization} (the managed engine has no normalization layers)");
        long batch = Math.Min(options.BatchSize, Math.Max(data.Rows, 1));
        int fanIn = data.Dimension;
        if (TooLarge(fanIn, 1, batch) is { } rows)
            return rows;
        foreach (int width in options.EffectiveHiddenLayerSizes.Append(outputs))
        {
            if (TooLarge(fanIn, width, batch) is { } what)
                return what;
            fanIn = width;
        }
        return null;
    }

    /// <summary>What of a layer would not fit in one managed array (a kernel, or a batch of its inputs or outputs); null when all fit.</summary>
    private static string? TooLarge(long fanIn, long width, long batch)
    {
        long largest = Array.MaxLength;
        if (fanIn * width > largest)
            return string.Create(CultureInfo.InvariantCulture, $"a {fanIn} x {width} kernel has more than {largest} values (the managed engine keeps each kernel in one array)");
        if (batch * Math.Max(fanIn, width) > largest)
            return string.Create(CultureInfo.InvariantCulture, $"a batch of {batch} rows of {Math.Max(fanIn, width)} values has more than {largest} values (the managed engine keeps each batch in one array)");
        return null;
    }

    /// <summary>
    /// Whether the managed engine multiplies by whole-batch GEMM calls (MKL's sgemm, <see cref="MklGemm"/>): wherever
    /// this libtorch build exports the function (faster than the row-at-a-time kernels at every size measured), unless
    /// <see cref="TrainingEngine.ManagedRows"/> forces those.
    /// </summary>
    public static bool UsesGemm(DenseNetworkOptions options) => options.Engine switch
    {
        TrainingEngine.ManagedGemm => true,
        TrainingEngine.ManagedRows => false,
        _ => MklGemm.IsAvailable,
    };

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
            case TrainingEngine.ManagedGemm:
            case TrainingEngine.ManagedRows:
                if (Unsupported(options, data, outputs) is { } reason)
                    throw new InvalidOperationException($"The managed training engine was required, but {reason}.");
                if (options.Engine == TrainingEngine.ManagedGemm && !MklGemm.IsAvailable)
                    throw new InvalidOperationException("The managed training engine with GEMM products was required, but this libtorch build does not export MKL's sgemm.");
                return true;
            default:
                return Unsupported(options, data, outputs) is null
                    && (MklGemm.IsAvailable || WorkPerBatch(options, data.Dimension, outputs) <= MaxWorkPerBatch);
        }
    }

    /// <summary>The epoch trainer of a Fit: managed or libtorch, as <see cref="Chooses"/> decides.</summary>
    public static IEpochTrainer CreateTrainer(NetworkTask task, DenseNetworkModule module, IRowSource data, DenseNetworkOptions options, Generator generator, int outputs) =>
        Chooses(options, data, outputs)
            ? new ManagedEpochTrainer(task, module, data, options, generator, outputs)
            : new TorchEpochTrainer(task, module, data, options, generator);
}
