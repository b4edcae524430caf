using System.Globalization;
using Microsoft.ML;
using MlNetDeep.Samples.Data;

namespace MlNetDeep.Samples.Experiments.Lab;

/// <summary>
/// Ablation on the noise-channel data: retrain without the 784 noise channels, without the image border, without
/// the image center; the accuracy change per group (paired over the same folds) says what each group is worth.
/// </summary>
internal static class AblationExperiment
{
    public static ExperimentResult Run(ExperimentContext context)
    {
        var ml = context.CreateMLContext();
        var rows = DataSplits.Take(DataSplits.Shuffle(context.Data.Images.Train, context.Seed), context.IsTiny ? 300 : 3000);
        var data = ml.Data.Cache(NoiseVsZerosExperiment.Augment(ml, ImageLab.Keyed(ml, rows), NoiseKind.Uniform, context.Seed));
        var estimator = ml.MulticlassClassification.Trainers.DenseNetwork(new DenseNetworkOptions
        {
            HiddenLayerSizes = new[] { 64 }, Epochs = context.Epochs(10), BatchSize = 64, Seed = context.Seed, CancellationToken = context.CancellationToken,
        });
        var groups = new[]
        {
            FeatureGroup.FromRange("noise channels", 784, 784),
            FeatureGroup.FromSlots("image border (4 px)", Pixels((r, c) => r < 4 || r >= 24 || c < 4 || c >= 24)),
            FeatureGroup.FromSlots("image center (8×8)", Pixels((r, c) => r >= 10 && r < 18 && c >= 10 && c < 18)),
        };

        var result = ml.MulticlassClassification.AblationStudy(data, estimator, groups, numberOfFolds: 3, seed: context.Seed,
            progress: context.Reporter.ForOperation("ablation"));
        context.Reporter.Info(result.ToString());

        var figure = context.OutputPath("deltas.png");
        var plot = new LearningCurvePlot("Ablation: change of accuracy when a feature group is removed", "feature group removed", "Δ micro-accuracy")
        {
            XCategories = result.Groups.Select(g => g.Group.Name).ToArray(),
        };
        for (int i = 0; i < result.Groups.Count; i++)
        {
            var delta = result.Groups[i].GetDelta("MicroAccuracy");
            plot.AddSeries($"{result.Groups[i].Group.Name}: {delta.Mean:+0.000;-0.000} ± {delta.StandardDeviation:F3}", delta.Values.Select(_ => (double)(i + 1)), delta.Values, "o");
        }
        plot.AddSeries("no change", new[] { 0.5, result.Groups.Count + 0.5 }, new[] { 0.0, 0.0 }, "k--");
        plot.SavePng(figure);

        var numbers = new Dictionary<string, double> { ["baseline_accuracy"] = result.Baseline.GetMetric("MicroAccuracy").Mean };
        foreach (var g in result.Groups)
            numbers[$"delta {g.Group.Name}"] = g.GetDelta("MicroAccuracy").Mean;
        string verdict = string.Create(CultureInfo.InvariantCulture,
            $"baseline accuracy {numbers["baseline_accuracy"]:F3}; removing {string.Join("; ", result.Groups.Select(g => Describe(g.Group.Name, g.GetDelta("MicroAccuracy"))))}");
        return new ExperimentResult(verdict) { Numbers = numbers, Figures = new[] { figure } };
    }

    private static string Describe(string group, MetricSummary delta) =>
        string.Create(CultureInfo.InvariantCulture, $"{group} changes it by {delta.Mean:+0.000;-0.000} ± {delta.StandardDeviation:F3}");

    private static IEnumerable<int> Pixels(Func<int, int, bool> keep) =>
        Enumerable.Range(0, 784).Where(i => keep(i / 28, i % 28));
}
