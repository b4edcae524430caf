using System.Diagnostics;
using System.Globalization;
using MlNetDeep.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>
/// Trains a <see cref="DenseNetworkModule"/> on rows already in memory: the training rows become one tensor,
/// each epoch draws a permutation, each mini-batch gathers its rows and runs under its own dispose scope.
/// Returns the trained weights as plain arrays (the module is disposed) and the history.
/// </summary>
internal static class TrainingLoop
{
    private const int EvaluationChunk = 8192;

    // saveCheckpoint writes a model zip from layers and a history to a path (for ModelCheckpoint); null when
    // checkpoints cannot be written
    public static (IReadOnlyList<DenseLayer> Layers, TrainingHistory History) Run(
        NetworkTask task, int outputSize, TrainingSet train, TrainingSet? validation, DenseNetworkOptions options,
        Action<IReadOnlyList<DenseLayer>, TrainingHistory, string>? saveCheckpoint = null)
    {
        LibTorchRuntime.EnsureLoaded();
        int seed = options.Seed ?? Random.Shared.Next();
        int previousThreads = torch.get_num_threads();
        torch.set_num_threads(options.EffectiveNumberOfThreads);
        bool flushed = LibTorchRuntime.TrySetFlushDenormal(true);
        try
        {
            using var generator = new Generator((ulong)seed, CPU);
            using var module = new DenseNetworkModule(train.Dimension, options.EffectiveHiddenLayerSizes, outputSize, options.Activation, options.DropoutRate, generator, options.Normalization, options.KernelInitializer);
            using var optimizer = new Optimizers(options, module.parameters());
            using var data = new TensorSet(train, task);
            using var validationData = validation is null ? null : new TensorSet(validation, task);
            double baseline = BaselineLoss.Of(train, task, options.RegressionLoss, outputSize);
            var history = Train(task, module, optimizer, data, validationData, options, generator, baseline, saveCheckpoint);
            return (NetworkWeights.From(module), history);
        }
        finally
        {
            if (flushed)
                LibTorchRuntime.TrySetFlushDenormal(false);
            torch.set_num_threads(previousThreads);
        }
    }

    private static TrainingHistory Train(NetworkTask task, DenseNetworkModule module, Optimizers optimizer, TensorSet data, TensorSet? validation,
        DenseNetworkOptions options, Generator generator, double baseline, Action<IReadOnlyList<DenseLayer>, TrainingHistory, string>? saveCheckpoint)
    {
        string monitor = options.EarlyStopping?.Monitor ?? (validation is not null ? "val_loss" : "loss");
        var tracker = new EarlyStoppingTracker(monitor, options.EarlyStopping);
        var guard = new DivergenceGuard(baseline);
        var history = new TrainingHistory { Monitor = monitor };
        bool classification = task != NetworkTask.Regression;
        bool restoreBest = options.EarlyStopping?.RestoreBestWeights == true;
        var initial = WeightSnapshot.Take(module, 0);
        WeightSnapshot lastGood = initial, lowest = initial;
        WeightSnapshot? bestWeights = null;
        double lowestLoss = double.PositiveInfinity;
        string? divergence = null;
        var token = options.CancellationToken;
        int rows = data.Rows;
        var callbacks = options.Callbacks;
        foreach (var c in callbacks.OfType<ITrainingCallback>())
            c.OnTrainBegin();
        double rate = optimizer.LearningRate;

        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            foreach (var c in callbacks.OfType<ITrainingCallback>())
                rate = c.OnEpochBegin(epoch, rate);
            if (rate != optimizer.LearningRate)
                optimizer.SetLearningRate(rate);
            module.train();
            double lossSum = 0;
            long correct = 0;
            using (var order = options.Shuffle ? randperm(rows, generator: generator) : arange(rows, dtype: int64))
            {
                for (int start = 0; start < rows; start += options.BatchSize)
                {
                    token.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    int count = Math.Min(options.BatchSize, rows - start);
                    var index = order.narrow(0, start, count);
                    var x = data.Features.index_select(0, index);
                    var y = data.Labels.index_select(0, index);
                    var w = data.Weights?.index_select(0, index);

                    module.zero_grad(set_to_none: false); // gradients stay allocated and are zeroed in place: no weight-sized block per batch
                    var output = module.forward(x);
                    var loss = Losses.DataLoss(task, options.RegressionLoss, output, y, w);
                    var penalty = Losses.Penalty(module.Kernels, options.L1Regularization, options.L2Regularization);
                    if (penalty is not null)
                        loss = Losses.Add(loss, penalty);
                    loss.backward();
                    optimizer.Step();

                    double batchLoss = loss.item<float>();
                    if (epoch == 1 && start == 0)
                        guard.SetInitialLoss(batchLoss); // computed before the first step: the untrained network's loss
                    lossSum += batchLoss * count;
                    if (!double.IsFinite(batchLoss))
                        break; // the step has spread it into the weights: the rest of the epoch cannot recover
                    if (classification)
                        correct += Losses.Correct(task, output.detach(), y).item<long>();
                }
            }

            double epochLoss = lossSum / rows;
            double? valLoss = null, valAccuracy = null;
            if (validation is not null)
                (valLoss, valAccuracy) = Evaluate(task, module, validation, options);
            var metrics = new EpochMetrics
            {
                Epoch = epoch,
                Loss = epochLoss,
                Accuracy = classification ? (double)correct / rows : null,
                ValidationLoss = valLoss,
                ValidationAccuracy = classification ? valAccuracy : null,
                LearningRate = rate,
                Duration = clock.Elapsed,
            };
            history.Add(metrics);
            options.Progress?.Report(metrics);

            if (!double.IsFinite(epochLoss))
            {
                divergence = string.Create(CultureInfo.InvariantCulture, $"the training loss became {epochLoss} in epoch {epoch}");
                break;
            }
            if (guard.Exploded(epochLoss))
            {
                // a spike within the epoch is only a suspicion: judge the weights the epoch ended with
                double endLoss = Evaluate(task, module, data, options).Loss;
                if (!guard.Recovered(endLoss))
                {
                    divergence = guard.Explain(epochLoss, endLoss, epoch);
                    break;
                }
                guard.Accept(endLoss);
            }
            guard.Accept(epochLoss);
            lastGood = WeightSnapshot.Take(module, epoch);
            if (epochLoss < lowestLoss)
            {
                lowestLoss = epochLoss;
                lowest = lastGood;
            }

            var (improved, stop) = tracker.Update(epoch, EarlyStoppingTracker.Read(metrics, monitor));
            if (improved && restoreBest)
                bestWeights = lastGood;
            if (callbacks.Count > 0)
            {
                int ended = epoch;
                Action<string>? save = saveCheckpoint is null ? null : path => saveCheckpoint(NetworkWeights.From(module),
                    history.Snapshot(string.Create(CultureInfo.InvariantCulture, $"checkpoint after epoch {ended} of {options.Epochs}")), path);
                var context = new EpochEndContext(metrics, history, rate, save);
                foreach (var c in callbacks)
                    c.OnEpochEnd(context);
                rate = context.LearningRate; // applied before the next epoch's first batch
                if (context.StopRequested)
                {
                    history.Stop = StopKind.Callback;
                    history.StopReason = string.Create(CultureInfo.InvariantCulture, $"stopped by a callback after epoch {epoch}");
                    break;
                }
            }
            if (stop && options.EarlyStopping is not null)
            {
                history.Stop = epoch < options.Epochs ? StopKind.EarlyStopped : StopKind.Completed;
                history.StopReason = string.Create(CultureInfo.InvariantCulture,
                    $"stopped early after epoch {epoch}: {monitor} did not improve for {options.EarlyStopping.Patience} epoch(s) (best {tracker.Best:G6} at epoch {tracker.BestEpoch})");
                break;
            }
        }

        history.BestEpoch = tracker.BestEpoch == 0 ? null : tracker.BestEpoch;
        if (divergence is not null)
        {
            KeepFiniteWeights(module, data, history, $"diverged: {divergence}; training stopped", " and ", new[] { lastGood, lowest, initial });
            return history;
        }

        if (history.Stop == StopKind.Completed)
            history.StopReason = string.Create(CultureInfo.InvariantCulture, $"completed {history.Count} epoch(s)");
        if (restoreBest && bestWeights is not null)
        {
            bestWeights.RestoreInto(module);
            history.RestoredBestWeights = true;
            history.StopReason += string.Create(CultureInfo.InvariantCulture, $"; restored the weights of epoch {tracker.BestEpoch}");
        }
        if (!WeightSnapshot.ScoresFinite(module, data))
        {
            // finite losses all along, yet the weights to return overflow (e.g. one huge step in the last batch)
            var current = history.RestoredBestWeights ? bestWeights! : lastGood;
            history.RestoredBestWeights = false;
            KeepFiniteWeights(module, data, history, $"diverged: {current.Name} score non-finite values on the training rows", "; ",
                new[] { lastGood, lowest, initial }.Where(c => c != current));
        }
        return history;
    }

    /// <summary>
    /// Restores the first of <paramref name="candidates"/> whose outputs are finite on the training rows (the initial
    /// weights come last), marks the run diverged and says in StopReason which weights were kept and which were not.
    /// </summary>
    private static void KeepFiniteWeights(DenseNetworkModule module, TensorSet data, TrainingHistory history, string reason, string connector, IEnumerable<WeightSnapshot> candidates)
    {
        history.Stop = StopKind.Diverged;
        var rejected = new List<string>();
        foreach (var candidate in candidates.Distinct())
        {
            candidate.RestoreInto(module);
            if (WeightSnapshot.ScoresFinite(module, data))
            {
                history.StopReason = rejected.Count == 0
                    ? $"{reason}{connector}{candidate.Name} were kept (lower the learning rate)"
                    : $"{reason}; {string.Join(" and ", rejected)} score non-finite values on the training rows, so {candidate.Name} were kept (lower the learning rate)";
                return;
            }
            rejected.Add(candidate.Name);
        }
        throw new ArgumentException(
            "Even the untrained network's outputs overflow float32 on the training rows: the features are too large. Scale them first (e.g. mlContext.Transforms.NormalizeMinMax).");
    }

    /// <summary>Loss (data loss + penalty, as Keras reports val_loss) and accuracy on held-out rows, in inference mode.</summary>
    internal static (double Loss, double? Accuracy) Evaluate(NetworkTask task, DenseNetworkModule module, TensorSet set, DenseNetworkOptions options)
    {
        module.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        double lossSum = 0;
        long correct = 0;
        for (int start = 0; start < set.Rows; start += EvaluationChunk)
        {
            int count = Math.Min(EvaluationChunk, set.Rows - start);
            var x = set.Features.narrow(0, start, count);
            var y = set.Labels.narrow(0, start, count);
            var w = set.Weights?.narrow(0, start, count);
            var output = module.forward(x);
            lossSum += Losses.DataLoss(task, options.RegressionLoss, output, y, w).item<float>() * (double)count;
            if (task != NetworkTask.Regression)
                correct += Losses.Correct(task, output, y).item<long>();
        }
        var penalty = Losses.Penalty(module.Kernels, options.L1Regularization, options.L2Regularization);
        double loss = lossSum / set.Rows + (penalty is null ? 0 : penalty.item<float>());
        return (loss, task == NetworkTask.Regression ? null : (double)correct / set.Rows);
    }
}
