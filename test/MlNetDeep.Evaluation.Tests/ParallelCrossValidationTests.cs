using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Evaluation.Tests;

[TestClass]
public sealed class ParallelCrossValidationTests
{
    private readonly MLContext _ml = new(seed: 1);

    private IEstimator<ITransformer> Network() =>
        _ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(_ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(_ml.MulticlassClassification.Trainers.DenseNetwork(new DenseNetworkOptions
            {
                HiddenLayerSizes = new[] { 16 }, DropoutRate = 0.3, Epochs = 6, BatchSize = 16, LearningRate = 1e-2, Seed = 7,
            }));

    [TestMethod]
    public void RepeatedCrossValidate_ThreeParallelFolds_EqualsTheSequentialRunBitForBit()
    {
        var data = _ml.Data.Cache(SyntheticData.Load(_ml, SyntheticData.TextLabelRows(4, 40, 30, 30)));

        var sequential = _ml.MulticlassClassification.RepeatedCrossValidate(data, Network(), numberOfFolds: 4, numberOfRepeats: 2, seed: 5);
        var parallel = _ml.MulticlassClassification.RepeatedCrossValidate(data, Network(), numberOfFolds: 4, numberOfRepeats: 2, seed: 5, maxParallelFolds: 3);

        Assert.HasCount(8, parallel.Folds);
        Assert.IsEmpty(parallel.FailedFolds);
        for (int i = 0; i < sequential.Folds.Count; i++)
        {
            var s = sequential.Folds[i];
            var p = parallel.Folds[i];
            Assert.AreEqual((s.Repeat, s.Fold), (p.Repeat, p.Fold), $"fold {i} keeps its place");
            CollectionAssert.AreEqual(s.ValidationRowIndices.ToArray(), p.ValidationRowIndices.ToArray(), $"fold {i}: same rows");
            CollectionAssert.AreEqual(s.MetricValues.ToArray(), p.MetricValues.ToArray(), $"fold {i}: metrics equal exactly");
            CollectionAssert.AreEqual(s.History!.Select(e => e.Loss).ToArray(), p.History!.Select(e => e.Loss).ToArray(), $"fold {i}: every epoch's loss equal exactly");
            CollectionAssert.AreEqual(Scores(s.Model!, data), Scores(p.Model!, data), $"fold {i}: identical scores");
        }
        Assert.AreEqual(sequential.ToString(), parallel.ToString());
        Assert.IsGreaterThan(0.6, parallel.GetMetric("MicroAccuracy").Mean, "the folds learned (three classes, chance is 0.4)");
    }

    [TestMethod]
    public void RepeatedCrossValidate_ParallelFolds_ReportProgressOncePerFoldWithIncreasingCounts()
    {
        var data = SyntheticData.Load(_ml, SyntheticData.BinaryRows(60, seed: 2));
        var reports = new ConcurrentQueue<OperationProgress>();

        _ml.BinaryClassification.RepeatedCrossValidate(data, _ml.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 10),
            numberOfFolds: 3, numberOfRepeats: 2, seed: 1, progress: new Recorder(reports.Enqueue), maxParallelFolds: 4);

        CollectionAssert.AreEqual(new[] { 1, 2, 3, 4, 5, 6 }, reports.Select(r => r.Completed).ToArray());
        Assert.IsTrue(reports.All(r => r.Total == 6 && r.Operation == "RepeatedCrossValidate"));
        Assert.HasCount(6, reports.Select(r => r.Step).Distinct().ToArray(), "each fold reported once");
    }

    [TestMethod]
    public void RepeatedCrossValidate_ParallelFoldThatThrows_IsReportedInItsPlaceAndTheOthersRun()
    {
        var data = SyntheticData.Load(_ml, SyntheticData.BinaryRows(60, seed: 2));
        var failing = new FailsWithoutRow0(_ml.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 10));

        var result = _ml.BinaryClassification.RepeatedCrossValidate(data, failing, numberOfFolds: 3, numberOfRepeats: 2, seed: 1, maxParallelFolds: 3);

        Assert.HasCount(2, result.FailedFolds, "row 0 is validated in exactly one fold per repeat");
        Assert.IsTrue(result.FailedFolds.All(f => f.ValidationRowIndices.Contains(0) && f.Exception is InvalidOperationException { Message: "row 0 is not in the training rows" }));
        Assert.HasCount(4, result.Folds.Where(f => f.Succeeded).ToArray());
    }

    [TestMethod]
    public void RepeatedCrossValidate_MaxParallelFoldsZero_ThrowsNamingTheValue()
    {
        var data = SyntheticData.Load(_ml, SyntheticData.BinaryRows(30, seed: 2));

        var ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => _ml.BinaryClassification.RepeatedCrossValidate(data,
            _ml.BinaryClassification.Trainers.SdcaLogisticRegression(), numberOfFolds: 3, numberOfRepeats: 1, seed: 1, maxParallelFolds: 0));

        Assert.AreEqual("maxParallelFolds", ex.ParamName);
        StringAssert.StartsWith(ex.Message, "Invalid value for maxParallelFolds: expected an integer >= 1. Received: maxParallelFolds=0.");
    }

    private static float[] Scores(ITransformer model, IDataView data) =>
        model.Transform(data).GetColumn<VBuffer<float>>("Score").SelectMany(v => v.DenseValues()).ToArray();

    private sealed class Recorder(Action<OperationProgress> report) : IProgress<OperationProgress>
    {
        public void Report(OperationProgress value) => report(value);
    }

    /// <summary>Throws when row 0 (Id 0) is missing from the training rows: in exactly the fold that validates it, whatever thread runs it.</summary>
    private sealed class FailsWithoutRow0(IEstimator<ITransformer> inner) : IEstimator<ITransformer>
    {
        public ITransformer Fit(IDataView input) => input.GetColumn<int>("Id").Contains(0)
            ? inner.Fit(input)
            : throw new InvalidOperationException("row 0 is not in the training rows");

        public SchemaShape GetOutputSchema(SchemaShape inputSchema) => inner.GetOutputSchema(inputSchema);
    }
}
