using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Samples.Data;

namespace MlNetDeep.Samples.Experiments.Lab;

/// <summary>
/// Issue 9 on real data: an imbalanced task, one Fashion-MNIST class against the other nine (about 1:9), trained as a
/// binary DenseNetwork with and without <see cref="ClassWeights.Balanced"/>; ML.NET's evaluator on the test set and
/// the precision-recall curve of both, with the 0.5 operating points.
/// </summary>
internal static class ClassWeightsExperiment
{
    /// <summary>
    /// Shirt: the hardest Fashion-MNIST class (mistaken for T-shirt/top, pullover and coat), so an unweighted model
    /// gives up its recall first, which is where class weights should show.
    /// </summary>
    private const int MinorityClass = 6;

    /// <summary>
    /// Dense(128) for 10 epochs (the lecture's reference network is Dense 512): a quarter of the work per epoch, so the
    /// two runs on 48,000 rows stay within a few minutes even when other builds share the 2 cores.
    /// </summary>
    private static readonly int[] Hidden = { 128 };

    private const int Epochs = 10;

    public static ExperimentResult Run(ExperimentContext context)
    {
        var ml = context.CreateMLContext();
        var images = context.Data.Images;
        string name = images.ClassNames[MinorityClass];
        var trainRows = context.Rows(images.Train, 400);
        var train = OneVsRest(ml, trainRows);
        var test = OneVsRest(ml, context.Rows(images.Test, 200));
        double share = trainRows.Count(r => r.Label == MinorityClass) / (double)trainRows.Count;

        var runs = new List<WeightingRun>();
        foreach (var (label, weights) in new[] { ("unweighted", (ClassWeights?)null), ("ClassWeights.Balanced", ClassWeights.Balanced) })
        {
            var options = ImageLab.Reference(context, $"{name} vs rest, {label}", Epochs, Hidden);
            options.ClassWeights = weights;
            var model = ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(train);
            var scored = model.Transform(test);
            runs.Add(new WeightingRun(label, ml.BinaryClassification.Evaluate(scored), PrecisionRecall.Of(scored)));
        }
        var (plain, balanced) = (runs[0], runs[1]);

        var figure = context.OutputPath("precision-recall.png");
        var plot = new LearningCurvePlot($"{name} vs rest ({100 * share:F0}% {name.ToLowerInvariant()}s): test precision-recall", $"Recall (share of test {name.ToLowerInvariant()}s found)", "Precision");
        foreach (var (run, color) in runs.Zip(new[] { "b", "r" }))
        {
            plot.AddSeries($"{run.Label} (ROC AUC {run.Metrics.AreaUnderRocCurve:F3})", run.Curve.Recall, run.Curve.Precision, color + "-");
            plot.AddSeries(string.Create(CultureInfo.InvariantCulture, $"{run.Label} at threshold 0.5: recall {run.Metrics.PositiveRecall:F2}, precision {run.Metrics.PositivePrecision:F2}"),
                new[] { run.Metrics.PositiveRecall }, new[] { run.Metrics.PositivePrecision }, color + "s");
        }
        plot.SavePng(figure);

        double matched = plain.Curve.PrecisionAtRecall(balanced.Metrics.PositiveRecall);
        var c = CultureInfo.InvariantCulture;
        string ranking = Math.Abs(balanced.Metrics.AreaUnderRocCurve - plain.Metrics.AreaUnderRocCurve) < 0.01
            ? "the ranking barely changes, so the weights mostly move the decision threshold"
            : "the ranking itself changes";
        string verdict = string.Create(c,
            $"{name} vs rest ({100 * share:F1}% positives), unweighted → ClassWeights.Balanced: {name.ToLowerInvariant()} recall {plain.Metrics.PositiveRecall:F3} → {balanced.Metrics.PositiveRecall:F3}, " +
            $"precision {plain.Metrics.PositivePrecision:F3} → {balanced.Metrics.PositivePrecision:F3}, F1 {plain.Metrics.F1Score:F3} → {balanced.Metrics.F1Score:F3}, " +
            $"accuracy {plain.Metrics.Accuracy:F3} → {balanced.Metrics.Accuracy:F3}, AUC {plain.Metrics.AreaUnderRocCurve:F3} → {balanced.Metrics.AreaUnderRocCurve:F3}: {ranking} " +
            $"(the unweighted model at the same recall: precision {matched:F3})");

        var numbers = new Dictionary<string, double> { ["minority_class"] = MinorityClass, ["minority_share_train"] = share };
        foreach (var (run, key) in runs.Zip(new[] { "unweighted", "balanced" }))
        {
            numbers[$"{key}_recall"] = run.Metrics.PositiveRecall;
            numbers[$"{key}_precision"] = run.Metrics.PositivePrecision;
            numbers[$"{key}_f1"] = run.Metrics.F1Score;
            numbers[$"{key}_accuracy"] = run.Metrics.Accuracy;
            numbers[$"{key}_auc"] = run.Metrics.AreaUnderRocCurve;
            numbers[$"{key}_auprc"] = run.Metrics.AreaUnderPrecisionRecallCurve;
        }
        numbers["unweighted_precision_at_balanced_recall"] = matched;
        return new ExperimentResult(verdict) { Numbers = numbers, Figures = new[] { figure } };
    }

    /// <summary>The images with a Boolean label: true for <see cref="MinorityClass"/>, false for the other nine.</summary>
    private static IDataView OneVsRest(MLContext ml, IReadOnlyList<ImageExample> rows) =>
        ml.Data.LoadFromEnumerable(rows.Select(r => new BinaryImage { Pixels = r.Pixels, Label = r.Label == MinorityClass }));

    private sealed record WeightingRun(string Label, CalibratedBinaryClassificationMetrics Metrics, PrecisionRecall Curve);

    private sealed class BinaryImage
    {
        [ColumnName("Features")]
        [VectorType(ImageExample.PixelCount)]
        public float[] Pixels { get; set; } = [];

        public bool Label { get; set; }
    }
}
