using Microsoft.ML;
using MlNetDeep.Samples.Experiments.Lab;

namespace MlNetDeep.Samples.Tests;

[TestClass]
public sealed class ClassWeightsExperimentTests
{
    [TestMethod]
    public void Run_TinyBudget_ReportsEveryMetricOfBothRunsAndThePrecisionRecallFigure()
    {
        using var dir = new TempDirectory();

        var result = TinyLabRun.Run("class-weights", dir.Path);

        var n = result.Numbers;
        Assert.AreEqual(6, n["minority_class"], "Shirt");
        Assert.IsTrue(n["minority_share_train"] is > 0.05 and < 0.15, $"share {n["minority_share_train"]}");
        foreach (var run in new[] { "unweighted", "balanced" })
        {
            foreach (var metric in new[] { "recall", "accuracy", "auc", "auprc" })
                Assert.IsTrue(n[$"{run}_{metric}"] is >= 0 and <= 1, $"{run}_{metric} = {n[$"{run}_{metric}"]}");
        }
        StringAssert.StartsWith(result.Verdict, "Shirt vs rest");
        StringAssert.Contains(result.Verdict, "unweighted → ClassWeights.Balanced: shirt recall");
        Assert.AreEqual((800, 450), TinyLabRun.PngSize(result.Figures.Single()));
    }

    [TestMethod]
    public void PrecisionRecall_TiedScores_OnePointPerNewPositiveAndTheFullRecallEnd()
    {
        var ml = new MLContext(1);
        var scored = ml.Data.LoadFromEnumerable(new[] { (0.9f, true), (0.8f, false), (0.7f, true), (0.6f, false), (0.6f, true), (0.1f, false) }
            .Select(r => new Scored { Probability = r.Item1, Label = r.Item2 }));

        var curve = PrecisionRecall.Of(scored);

        CollectionAssert.AreEqual(new[] { 1 / 3.0, 2 / 3.0, 1, 1 }, curve.Recall.ToArray());
        CollectionAssert.AreEqual(new[] { 1, 2 / 3.0, 3 / 5.0, 3 / 6.0 }, curve.Precision.ToArray());
        Assert.AreEqual(2 / 3.0, curve.PrecisionAtRecall(0.5));
        Assert.AreEqual(0.6, curve.PrecisionAtRecall(1));
        Assert.AreEqual(1, curve.PrecisionAtRecall(0));
    }

    [TestMethod]
    public void PrecisionRecall_NoPositiveRow_Throws()
    {
        var ml = new MLContext(1);
        var scored = ml.Data.LoadFromEnumerable(new[] { new Scored { Probability = 0.3f, Label = false } });

        var error = Assert.ThrowsExactly<ArgumentException>(() => PrecisionRecall.Of(scored));

        StringAssert.StartsWith(error.Message, "A precision-recall curve needs at least one positive row; the scored view has none.");
    }

    private sealed class Scored
    {
        public float Probability { get; set; }

        public bool Label { get; set; }
    }
}
