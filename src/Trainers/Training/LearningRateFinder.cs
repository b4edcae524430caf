using System.Globalization;
using MlNetDeep.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>
/// The learning-rate range test: a fresh network of the trainer's options takes one optimizer step per mini-batch
/// while the rate grows exponentially; the smoothed loss falls, flattens and then explodes, and a tenth of the rate
/// at its minimum is the one to train with. Nothing outlives the call: the network and optimizer are disposed, the
/// thread count and flush-to-zero setting restored.
/// </summary>
internal static class LearningRateFinder
{
    public static LearningRateFinderResult Run(NetworkTask task, int outputSize, IRowSource train, DenseNetworkOptions options, LearningRateFinderOptions finder)
    {
        using var session = new TorchSession(options, train.Dimension, outputSize);
        using var optimizer = new Optimizers(options, session.Module.parameters());
        return Sweep(task, session.Module, optimizer, train, options, finder, session.Generator);
    }

    private static LearningRateFinderResult Sweep(NetworkTask task, DenseNetworkModule module, Optimizers optimizer, IRowSource data,
        DenseNetworkOptions options, LearningRateFinderOptions finder, Generator generator)
    {
        var rates = new List<double>();
        var smoothed = new List<double>();
        var raw = new List<double>();
        double growth = Math.Pow(finder.MaxLearningRate / finder.MinLearningRate, 1.0 / (finder.Steps - 1));
        double average = 0, best = double.PositiveInfinity;
        string stop = string.Create(CultureInfo.InvariantCulture, $"reached the last rate, {finder.MaxLearningRate:G3}, without the loss exploding");
        IBatchReader? batches = null;
        module.train();
        try
        {
            for (int step = 0; step < finder.Steps; step++)
            {
                options.CancellationToken.ThrowIfCancellationRequested();
                double rate = finder.MinLearningRate * Math.Pow(growth, step);
                optimizer.SetLearningRate(rate);
                double loss;
                using (NewDisposeScope())
                {
                    if (batches?.Next() is not { } batch)
                    {
                        // a new pass over the rows (a new permutation, as the epochs of Fit)
                        batches?.Dispose();
                        batches = data.Batches(options.BatchSize, options.Shuffle, generator);
                        batch = batches.Next()!.Value;
                    }
                    var (x, y, w, _) = batch;
                    module.zero_grad(set_to_none: true); // backward then takes its new gradients as they are, with no zeroing pass and no addition
                    var output = module.Forward(x);
                    var batchLoss = Losses.DataLoss(task, options.RegressionLoss, output, y, w);
                    var penalty = Losses.Penalty(module.Kernels, options.L1Regularization, options.L2Regularization);
                    if (penalty is not null)
                        batchLoss = Losses.Add(batchLoss, penalty);
                    batchLoss.backward();
                    optimizer.Step();
                    loss = batchLoss.item<float>();
                }
                rates.Add(rate);
                raw.Add(loss);
                if (!double.IsFinite(loss))
                {
                    smoothed.Add(double.NaN);
                    stop = string.Create(CultureInfo.InvariantCulture, $"the loss became {loss} at rate {rate:G3}");
                    break;
                }
                average = finder.Smoothing * average + (1 - finder.Smoothing) * loss;
                double value = average / (1 - Math.Pow(finder.Smoothing, step + 1)); // bias correction: the average starts at 0
                smoothed.Add(value);
                best = Math.Min(best, value);
                if (step > 0 && value > finder.DivergenceFactor * best)
                {
                    stop = string.Create(CultureInfo.InvariantCulture, $"the smoothed loss reached {value / best:G3}× its best at rate {rate:G3}");
                    break;
                }
            }
        }
        finally
        {
            batches?.Dispose();
        }

        int minimum = 0;
        for (int i = 1; i < smoothed.Count; i++)
            if (smoothed[i] < smoothed[minimum])
                minimum = i;
        if (minimum == smoothed.Count - 1 && smoothed.Count == finder.Steps)
            stop += "; the loss was still falling at the end: raise MaxLearningRate";
        return new LearningRateFinderResult(rates.ToArray(), smoothed.ToArray(), raw.ToArray(), Steepest(rates, smoothed, minimum), minimum, stop);
    }

    /// <summary>
    /// The rate where the smoothed loss falls fastest per decade of rate, before its minimum (fastai's "steepest"
    /// rule), read once the fall is under way: the slope spans ±5% of the steps (two neighbours are noise at the
    /// tiny first rates, which left a 300-row regression at 1.5e-7) and only points already a tenth of the way
    /// from the first loss down to the minimum count. A tenth of the minimum's rate when no point qualifies. The
    /// minimum itself lags behind the raw losses by about 1 / (1 − smoothing) steps, so its tenth lands several
    /// times too low (on Fashion-MNIST 784-512-10: 1.9e-4 against a steepest 7.6e-4, next to Keras' 1e-3).
    /// </summary>
    private static double Steepest(List<double> rates, List<double> smoothed, int minimum)
    {
        int span = Math.Max(1, rates.Count / 20);
        double start = smoothed[0], floor = smoothed[minimum];
        double underway = start - 0.1 * (start - floor);
        int steepest = -1;
        double slope = double.PositiveInfinity;
        for (int i = span; i + span <= minimum; i++)
        {
            if (smoothed[i] > underway)
                continue;
            double s = (smoothed[i + span] - smoothed[i - span]) / Math.Log(rates[i + span] / rates[i - span]);
            if (s < slope)
            {
                slope = s;
                steepest = i;
            }
        }
        return steepest < 0 ? rates[minimum] / 10 : rates[steepest];
    }
}
