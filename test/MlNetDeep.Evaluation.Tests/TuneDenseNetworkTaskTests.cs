using Microsoft.ML;

namespace MlNetDeep.Evaluation.Tests;

/// <summary>The search on the other two tasks, and the units of the loss it minimizes.</summary>
[TestClass]
public sealed class TuneDenseNetworkTaskTests
{
    private readonly MLContext _ml = new(seed: 1);

    private static DenseNetworkTuningOptions Small() => new()
    {
        Seed = 2,
        NumberOfFolds = 3,
        NumberOfRepeats = 1,
        MaxParallelTrials = 2,
        MaxTrials = 6,
        Architectures = new List<int[]> { new[] { 4 }, new[] { 64, 64 } },
        BaseOptions = new DenseNetworkOptions { Epochs = 12, BatchSize = 16 },
    };

    [TestMethod]
    public void Multiclass_KeyLabel_TunesAndTheBestModelScores()
    {
        var rows = TuningData.Load(_ml, TuningData.Multiclass(240, seed: 3, noise: 0.05));
        var data = _ml.Transforms.Conversion.MapValueToKey("Label").Fit(rows).Transform(rows);

        var result = _ml.MulticlassClassification.TuneDenseNetwork(data, Small());

        Assert.HasCount(6, result.Trials);
        CollectionAssert.AreEqual(result.Trials.Select(t => t.Stage).OrderBy(s => s).ToArray(), result.Trials.Select(t => t.Stage).ToArray());
        Assert.AreEqual(Math.Log(3), result.BaselineMetric.Mean, 0.05, "three near-equal classes: the priors' cross-entropy is about ln 3");
        Assert.IsTrue(result.Trials.All(t => t.Metrics.Any(m => m.Name == "MicroAccuracy")));
        StringAssert.Contains(result.ToMarkdown(), "| MicroAccuracy |");
        var metrics = _ml.MulticlassClassification.Evaluate(result.BestModel.Transform(data));
        Assert.IsGreaterThan(0.6, metrics.MicroAccuracy, result.ToMarkdown());
    }

    [TestMethod]
    public void Regression_TunesAndTheBestModelScores()
    {
        var data = TuningData.Load(_ml, TuningData.Regression(240, seed: 3, noise: 0.1));

        var result = _ml.Regression.TuneDenseNetwork(data, Small());

        Assert.HasCount(6, result.Trials);
        Assert.IsTrue(result.Trials.All(t => t.Metrics.Any(m => m.Name == "RSquared")));
        StringAssert.Contains(result.ToMarkdown(), "constant prediction (mean)");
        Assert.IsLessThan(result.BaselineMetric.Mean, result.BestTrial.Metric.Mean, result.ToMarkdown());
        var metrics = _ml.Regression.Evaluate(result.BestModel.Transform(data));
        Assert.IsGreaterThan(0.3, metrics.RSquared, result.ToMarkdown());
    }

    [TestMethod]
    public void HeldOutLoss_IsTheTrainersOwnValidationLoss_InEveryTask()
    {
        var binary = TuningData.Load(_ml, TuningData.Binary(80, seed: 1));
        var classes = TuningData.Load(_ml, TuningData.Multiclass(90, seed: 1));
        classes = _ml.Transforms.Conversion.MapValueToKey("Label").Fit(classes).Transform(classes);
        var numbers = TuningData.Load(_ml, TuningData.Regression(80, seed: 1));

        foreach (var (task, data) in new[] { (TuningTask.Binary, binary), (TuningTask.Multiclass, classes), (TuningTask.Regression, numbers) })
        {
            var options = new DenseNetworkOptions { Epochs = 3, Seed = 1, ValidationData = data, HiddenLayerSizes = new[] { 8 } };
            var model = task.Fit(options, data);
            double loss = task.Evaluate(model.Transform(data), "Label").Loss;
            Assert.AreEqual(model.History[^1].ValidationLoss!.Value, loss, 1e-5, task.Name + ": nats (or squared error), as the history");
        }
    }
}
