using Microsoft.ML;

namespace MlNetDeep.Evaluation.Tests;

/// <summary>Long operations report to an IProgress an application can draw from.</summary>
[TestClass]
public sealed class ProgressTests
{
    private sealed class Collector : IProgress<OperationProgress>
    {
        public List<OperationProgress> Reports { get; } = new();

        public void Report(OperationProgress value) => Reports.Add(value);
    }

    private readonly MLContext _ml = new(seed: 1);

    [TestMethod]
    public void RepeatedCrossValidate_ReportsEveryFoldInOrder()
    {
        var data = SyntheticData.Load(_ml, SyntheticData.BinaryRows(120, seed: 2));
        var progress = new Collector();
        var result = _ml.BinaryClassification.RepeatedCrossValidate(data, _ml.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 20),
            numberOfFolds: 3, numberOfRepeats: 2, seed: 9, progress: progress);

        CollectionAssert.AreEqual(Enumerable.Range(1, 6).ToArray(), progress.Reports.Select(r => r.Completed).ToArray());
        Assert.IsTrue(progress.Reports.All(r => r.Total == 6 && r.Operation == "RepeatedCrossValidate"));
        StringAssert.StartsWith(progress.Reports[0].Step, "repeat 1, fold 1: ");
        StringAssert.StartsWith(progress.Reports[^1].Step, "repeat 2, fold 3: ");
        Assert.AreEqual(1.0, progress.Reports[^1].Fraction);
        Assert.HasCount(6, result.Folds);
    }

    [TestMethod]
    public void AblationStudy_ReportsTheBaselineAndEachGroupsFolds()
    {
        var data = SyntheticData.Load(_ml, SyntheticData.BinaryRows(240, seed: 12));
        var groups = new[] { FeatureGroup.FromRange("noise channels", 2, 4), FeatureGroup.FromRange("informative", 0, 2) };
        var progress = new Collector();
        _ml.BinaryClassification.AblationStudy(data, _ml.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 30), groups,
            numberOfFolds: 3, seed: 3, progress: progress);

        CollectionAssert.AreEqual(new[] { "AblationStudy: baseline", "AblationStudy: without noise channels", "AblationStudy: without informative" },
            progress.Reports.Select(r => r.Operation).Distinct().ToArray());
        Assert.HasCount(9, progress.Reports);
    }
}
