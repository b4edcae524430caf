using System.Diagnostics;
using System.Globalization;
using MlNetDeep.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>
/// Trains a <see cref="DenseNetworkModule"/> on rows in memory or streamed (<see cref="IRowSource"/>), in skorch's shape: a short epoch loop that
/// trains the mini-batches, records the epoch and notifies an ordered list of callbacks. Divergence detection and
/// early stopping (with restore-best-weights) are the first two callbacks; the user's
/// <see cref="DenseNetworkOptions.Callbacks"/> (learning-rate schedules, checkpoints, their own) follow in list order.
/// Returns the trained weights as plain arrays (the module is disposed) and the history.
/// </summary>
internal static class TrainingLoop
{
    /// <summary>
    /// Trains a new network, or continues <paramref name="initialModel"/> (its weights, numbering epochs on from its
    /// history's last, which the returned history starts with); the optimizer state always starts afresh.
    /// <paramref name="saveCheckpoint"/> writes a model zip from layers and a history to a path (for ModelCheckpoint);
    /// null when checkpoints cannot be written.
    /// </summary>
    public static (IReadOnlyList<DenseLayer> Layers, TrainingHistory History) Run(
        NetworkTask task, int outputSize, IRowSource train, IRowSource? validation, DenseNetworkOptions options,
        DenseNetworkModel? initialModel = null, Action<IReadOnlyList<DenseLayer>, TrainingHistory, string>? saveCheckpoint = null)
    {
        // a warm start draws the initial weights too, then overwrites them: the seed's permutations and dropout
        // masks are those of a fresh run with the same seed
        using var session = new TorchSession(options, train.Dimension, outputSize);
        var (module, generator, seed) = (session.Module, session.Generator, session.Seed);
        double baseline = train.BaselineLoss(task, options.RegressionLoss, outputSize); // the divergence guard's reference
        var history = new TrainingHistory
        {
            Monitor = options.EarlyStopping?.Monitor ?? (validation is not null ? "val_loss" : "loss"),
            Seed = seed,
            BaselineLoss = validation is null ? baseline : validation.BaselineLoss(task, options.RegressionLoss, outputSize), // what Diagnose compares with
        };
        int lastEpoch = 0;
        if (initialModel is not null)
        {
            module.Load(initialModel.Layers);
            foreach (var epoch in initialModel.History ?? Enumerable.Empty<EpochMetrics>())
                history.Add(epoch);
            lastEpoch = history.Count == 0 ? 0 : history[^1].Epoch;
        }
        using var trainer = Managed.ManagedTraining.CreateTrainer(task, module, train, options, generator, outputSize);
        var run = new TrainingRun(task, module, trainer, train, validation, options, history, lastEpoch + 1, saveCheckpoint);
        string initialName = initialModel is null ? WeightSnapshot.NameOf(0) : "the initial model's weights";
        IEpochCallback[] builtIn = { new DivergenceCallback(run, baseline, initialName), new EarlyStoppingCallback(run) };
        Train(run, builtIn.Concat(options.Callbacks).ToArray());
        if (initialModel is not null)
            history.StopReason += string.Create(CultureInfo.InvariantCulture, $"; continued the initial model after its epoch {lastEpoch}");
        return (NetworkWeights.From(module), history);
    }

    /// <summary>The epoch loop. Callbacks hear of every epoch in list order; one that halts (divergence) hides it from those after it.</summary>
    private static void Train(TrainingRun run, IReadOnlyList<IEpochCallback> callbacks)
    {
        var hooks = callbacks.OfType<ITrainingCallback>().ToArray();
        var history = run.History;
        int before = history.Count;
        foreach (var hook in hooks)
            hook.OnTrainBegin();
        double rate = run.LearningRate;
        for (int epoch = run.FirstEpoch; epoch <= run.LastEpoch; epoch++)
        {
            var clock = Stopwatch.StartNew();
            foreach (var hook in hooks)
                rate = hook.OnEpochBegin(epoch, rate);
            run.SetLearningRate(rate);
            if (run.TrainEpoch(hooks) is not { } trained)
            {
                history.Stop = StopKind.Cancelled;
                history.StopReason = epoch == 1 ? "cancelled during epoch 1, before any epoch completed"
                    : string.Create(CultureInfo.InvariantCulture, $"cancelled after epoch {epoch - 1} (during epoch {epoch})");
                break;
            }
            var metrics = run.Measure(epoch, trained, rate, clock);
            history.Add(metrics);
            run.Options.Progress?.Report(metrics);

            var context = new EpochEndContext(metrics, history, rate, run.CheckpointWriter(epoch));
            foreach (var callback in callbacks)
            {
                callback.OnEpochEnd(context);
                if (context.Halted)
                    break;
            }
            rate = context.LearningRate; // applied before the next epoch's first batch
            if (context.RequestedStop is { } stop)
            {
                history.Stop = stop;
                history.StopReason = context.RequestedStopReason!;
                break;
            }
        }
        if (history.Stop == StopKind.Completed)
            history.StopReason = string.Create(CultureInfo.InvariantCulture, $"completed {history.Count - before} epoch(s)");
        for (int i = hooks.Length - 1; i >= 0; i--)
            hooks[i].OnTrainEnd(); // in reverse: the divergence guard, first in, has the last word on the weights
    }
}
