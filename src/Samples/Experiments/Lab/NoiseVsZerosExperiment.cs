using System.Globalization;
using Microsoft.ML;

namespace MlNetDeep.Samples.Experiments.Lab;

/// <summary>Lecture: appending 784 uniform-noise channels costs validation accuracy; appending 784 zero channels does not.</summary>
internal static class NoiseVsZerosExperiment
{
    public static ExperimentResult Run(ExperimentContext context)
    {
        var ml = context.CreateMLContext();
        var train = ImageLab.Train(context, ml);
        var finals = new Dictionary<NoiseKind, List<double>> { [NoiseKind.Uniform] = new(), [NoiseKind.Zeros] = new() };
        var firsts = new Dictionary<NoiseKind, List<double>> { [NoiseKind.Uniform] = new(), [NoiseKind.Zeros] = new() };
        var runs = new List<(string Label, TrainingHistory History)>();
        for (int repeat = 0; repeat < ImageLab.Repeats(context); repeat++)
        {
            foreach (var kind in new[] { NoiseKind.Uniform, NoiseKind.Zeros })
            {
                string name = (kind == NoiseKind.Uniform ? "noise" : "zeros") + (repeat > 0 ? $" (seed +{repeat})" : "");
                var history = Train(context, ml, train, kind, name, repeat).History;
                finals[kind].Add(history[^1].ValidationAccuracy ?? double.NaN);
                firsts[kind].Add(history[0].ValidationAccuracy ?? double.NaN);
                runs.Add((name, history));
            }
        }

        var figure = context.OutputPath("validation-accuracy.png");
        // one colour per kind (noise blue, zeros red), one line style per seed
        var plot = new LearningCurvePlot("784 noise channels vs 784 zero channels", "Epochs", "Validation accuracy");
        var dashes = new[] { "-", "--", ":" };
        for (int i = 0; i < runs.Count; i++)
            plot.AddHistory(runs[i].History, HistoryMetric.ValidationAccuracy, runs[i].Label, (runs[i].Label.StartsWith("noise", StringComparison.Ordinal) ? "b" : "r") + dashes[i / 2 % 3], markBestEpoch: false);
        plot.SavePng(figure);

        var (noiseMean, noiseSd) = MeanSd(finals[NoiseKind.Uniform]);
        var (zeroMean, zeroSd) = MeanSd(finals[NoiseKind.Zeros]);
        double firstGap = firsts[NoiseKind.Zeros].Average() - firsts[NoiseKind.Uniform].Average();
        string verdict = string.Create(CultureInfo.InvariantCulture,
            $"noise channels {(noiseMean < zeroMean ? "cost" : "did not cost")} validation accuracy: final {noiseMean:F3}{Spread(noiseSd, finals[NoiseKind.Uniform].Count)} with noise vs {zeroMean:F3}{Spread(zeroSd, finals[NoiseKind.Zeros].Count)} with zeros " +
            $"(gap {zeroMean - noiseMean:F3}; {firstGap:F3} after epoch 1; {finals[NoiseKind.Zeros].Count} seed(s))");
        return new ExperimentResult(verdict)
        {
            Numbers = new Dictionary<string, double>
            {
                ["noise_val_acc"] = noiseMean, ["noise_val_acc_sd"] = noiseSd, ["zeros_val_acc"] = zeroMean, ["zeros_val_acc_sd"] = zeroSd,
                ["gap"] = zeroMean - noiseMean, ["gap_epoch1"] = firstGap,
            },
            Figures = new[] { figure },
            Diagnoses = LabHistory.Diagnose(runs),
        };
    }

    /// <summary>Appends 784 channels of <paramref name="kind"/> and trains the reference network (10 epochs, validation split 0.2).</summary>
    internal static DenseNetworkTransformer Train(ExperimentContext context, MLContext ml, IDataView train, NoiseKind kind, string name, int seedOffset)
    {
        var augmented = Augment(ml, train, kind, context.Seed + seedOffset);
        return ml.MulticlassClassification.Trainers.DenseNetwork(ImageLab.Reference(context, name, 10, seedOffset: seedOffset)).Fit(augmented);
    }

    internal static IDataView Augment(MLContext ml, IDataView data, NoiseKind kind, int seed) =>
        ml.Transforms.AppendNoiseChannels("Features", "Features", 784, kind, seed).Fit(data).Transform(data);

    /// <summary>Mean and sample SD (0 for a single seed, where MetricSummary leaves it undefined).</summary>
    private static (double Mean, double Sd) MeanSd(IReadOnlyList<double> values)
    {
        var summary = MetricSummary.FromValues("validation accuracy", values);
        return (summary.Mean, summary.Count > 1 ? summary.StandardDeviation : 0);
    }

    /// <summary>" ± sd" over several seeds; nothing for one seed, which has no spread to show.</summary>
    private static string Spread(double sd, int seeds) => seeds > 1 ? string.Create(CultureInfo.InvariantCulture, $" ± {sd:F3}") : "";
}
