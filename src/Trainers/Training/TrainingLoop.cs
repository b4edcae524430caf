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

    public static (IReadOnlyList<DenseLayer> Layers, TrainingHistory History) Run(
        NetworkTask task, int outputSize, TrainingSet train, TrainingSet? validation, DenseNetworkOptions options)
    {
        LibTorchRuntime.EnsureLoaded();
        int seed = options.Seed ?? Random.Shared.Next();
        int previousThreads = torch.get_num_threads();
        if (options.NumberOfThreads is int threads)
            torch.set_num_threads(threads);
        bool flushed = LibTorchRuntime.TrySetFlushDenormal(true);
        try
        {
            using var generator = new Generator((ulong)seed, CPU);
            using var module = new DenseNetworkModule(train.Dimension, options.EffectiveHiddenLayerSizes, outputSize, options.Activation, options.DropoutRate, generator);
            using var optimizer = new Optimizers(options, module.parameters());
            using var data = new TensorSet(train, task);
            using var validationData = validation is null ? null : new TensorSet(validation, task);
            var history = Train(task, module, optimizer, data, validationData, options, generator);
            return (NetworkWeights.From(module), history);
        }
        finally
        {
            if (flushed)
                LibTorchRuntime.TrySetFlushDenormal(false);
            if (options.NumberOfThreads is not null)
                torch.set_num_threads(previousThreads);
        }
    }

    private static TrainingHistory Train(NetworkTask task, DenseNetworkModule module, Optimizers optimizer, TensorSet data, TensorSet? validation,
        DenseNetworkOptions options, Generator generator)
    {
        string monitor = options.EarlyStopping?.Monitor ?? (validation is not null ? "val_loss" : "loss");
        var tracker = new EarlyStoppingTracker(monitor, options.EarlyStopping);
        var history = new TrainingHistory { Monitor = monitor };
        bool classification = task != NetworkTask.Regression;
        bool restoreBest = options.EarlyStopping?.RestoreBestWeights == true;
        float[][]? bestWeights = null;
        float[][] lastFinite = Snapshot(module);
        var token = options.CancellationToken;
        int rows = data.Rows;

        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
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

                    module.zero_grad();
                    var output = module.forward(x);
                    var loss = Losses.DataLoss(task, options.RegressionLoss, output, y, w);
                    var penalty = Losses.Penalty(module.Kernels, options.L1Regularization, options.L2Regularization);
                    if (penalty is not null)
                        loss = loss.add(penalty);
                    loss.backward();
                    optimizer.Step();

                    lossSum += loss.item<float>() * (double)count;
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
                Duration = clock.Elapsed,
            };
            history.Add(metrics);
            options.Progress?.Report(metrics);

            if (!double.IsFinite(epochLoss))
            {
                Restore(module, lastFinite);
                history.Diverged = true;
                history.StopReason = string.Create(CultureInfo.InvariantCulture,
                    $"diverged: the training loss became {epochLoss} in epoch {epoch}; training stopped and the weights of epoch {epoch - 1} were kept (lower the learning rate)");
                break;
            }
            lastFinite = Snapshot(module);

            var (improved, stop) = tracker.Update(epoch, EarlyStoppingTracker.Read(metrics, monitor));
            if (improved && restoreBest)
                bestWeights = lastFinite;
            if (stop && options.EarlyStopping is not null)
            {
                history.StoppedEarly = epoch < options.Epochs;
                history.StopReason = string.Create(CultureInfo.InvariantCulture,
                    $"stopped early after epoch {epoch}: {monitor} did not improve for {options.EarlyStopping.Patience} epoch(s) (best {tracker.Best:G6} at epoch {tracker.BestEpoch})");
                break;
            }
        }

        history.BestEpoch = tracker.BestEpoch == 0 ? null : tracker.BestEpoch;
        if (!history.Diverged && !history.StoppedEarly)
            history.StopReason = string.Create(CultureInfo.InvariantCulture, $"completed {history.Count} epoch(s)");
        if (restoreBest && bestWeights is not null && !history.Diverged)
        {
            Restore(module, bestWeights);
            history.RestoredBestWeights = true;
            history.StopReason += string.Create(CultureInfo.InvariantCulture, $"; restored the weights of epoch {tracker.BestEpoch}");
        }
        return history;
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

    private static float[][] Snapshot(DenseNetworkModule module)
    {
        using var scope = NewDisposeScope();
        return module.parameters().Select(p => p.detach().data<float>().ToArray()).ToArray();
    }

    private static void Restore(DenseNetworkModule module, float[][] weights)
    {
        using var noGrad = no_grad();
        int i = 0;
        foreach (var p in module.parameters())
        {
            using var source = tensor(weights[i++], p.shape);
            p.copy_(source);
        }
    }
}
