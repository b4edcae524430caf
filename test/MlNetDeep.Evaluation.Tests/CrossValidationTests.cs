using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Evaluation.Tests;

[TestClass]
public sealed class CrossValidationTests
{
    private readonly MLContext _ml = new(seed: 1);

    private IEstimator<ITransformer> Logistic()
        => _ml.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 20);

    [TestMethod]
    public void RepeatedCrossValidate_BinarySdca_SummariesEqualHandComputedOverFolds()
    {
        var data = SyntheticData.Load(_ml, SyntheticData.BinaryRows(120, seed: 2));
        var result = _ml.BinaryClassification.RepeatedCrossValidate(data, Logistic(), numberOfFolds: 3, numberOfRepeats: 2, seed: 9);

        Assert.HasCount(6, result.Folds);
        Assert.IsEmpty(result.FailedFolds);
        Assert.AreEqual(9, result.Seed);
        Assert.IsTrue(result.Stratified);
        Assert.IsInstanceOfType<CalibratedBinaryClassificationMetrics>(result.Folds[0].Metrics);
        foreach (var fold in result.Folds)
        {
            Assert.IsNotNull(fold.Model);
            Assert.IsNull(fold.History, "an in-box trainer has no history");
            Assert.AreEqual(120, fold.TrainingRowCount + fold.ValidationRowIndices.Count);
            Assert.AreEqual(fold.Metrics!.AreaUnderRocCurve, fold.MetricValues["AreaUnderRocCurve"]);
        }

        var auc = result.GetMetric("AreaUnderRocCurve");
        double[] values = result.Folds.Select(f => f.Metrics!.AreaUnderRocCurve).ToArray();
        double mean = values.Sum() / 6;
        double sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / 5);
        const double t975With5Df = 2.5705818366147395;
        Assert.AreEqual(mean, auc.Mean, 1e-12);
        Assert.AreEqual(sd, auc.StandardDeviation, 1e-12);
        Assert.AreEqual(mean - t975With5Df * sd / Math.Sqrt(6), auc.ConfidenceIntervalLower, 1e-9);
        Assert.AreEqual(mean + t975With5Df * sd / Math.Sqrt(6), auc.ConfidenceIntervalUpper, 1e-9);
        Assert.IsGreaterThan(0.9, auc.Mean, "the informative slots separate the classes");
        CollectionAssert.Contains(result.Metrics.Select(m => m.Name).ToArray(), "LogLoss");
    }

    [TestMethod]
    public void RepeatedCrossValidate_SameSeed_SameFolds()
    {
        var data = SyntheticData.Load(_ml, SyntheticData.BinaryRows(60, seed: 2));
        var a = _ml.BinaryClassification.RepeatedCrossValidate(data, Logistic(), 3, 2, seed: 5);
        var b = _ml.BinaryClassification.RepeatedCrossValidate(data, Logistic(), 3, 2, seed: 5);
        var c = _ml.BinaryClassification.RepeatedCrossValidate(data, Logistic(), 3, 2, seed: 6);

        for (int i = 0; i < a.Folds.Count; i++)
            CollectionAssert.AreEqual(a.Folds[i].ValidationRowIndices.ToArray(), b.Folds[i].ValidationRowIndices.ToArray());
        Assert.IsTrue(a.Folds.Zip(c.Folds).Any(p => !p.First.ValidationRowIndices.SequenceEqual(p.Second.ValidationRowIndices)));
        foreach (var repeat in a.Folds.GroupBy(f => f.Repeat))
            CollectionAssert.AreEqual(Enumerable.Range(0, 60).ToArray(), repeat.SelectMany(f => f.ValidationRowIndices).OrderBy(i => i).ToArray());
    }

    [TestMethod]
    public void RepeatedCrossValidate_MulticlassTextLabelMappedInsideEstimator_StratifiesAndEvaluates()
    {
        int[] sizes = { 40, 25, 10 };
        var rows = SyntheticData.TextLabelRows(3, sizes);
        var data = SyntheticData.Load(_ml, rows);
        var estimator = _ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(_ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy());

        var result = _ml.MulticlassClassification.RepeatedCrossValidate(data, estimator, numberOfFolds: 5, numberOfRepeats: 1, seed: 4);

        Assert.HasCount(5, result.Folds);
        foreach (var fold in result.Folds)
            for (int c = 0; c < sizes.Length; c++)
            {
                int count = fold.ValidationRowIndices.Count(i => rows[i].Label == ((char)('a' + c)).ToString());
                Assert.IsLessThan(1.0, Math.Abs(count - sizes[c] / 5.0));
            }
        Assert.IsGreaterThan(0.9, result.GetMetric("MicroAccuracy").Mean, result.ToString());
    }

    [TestMethod]
    public void RepeatedCrossValidate_RegressionStratifiedByValueOrder_EveryFoldSpansTheLabelRange()
    {
        var rows = SyntheticData.RegressionRows(100, seed: 6);
        var data = SyntheticData.Load(_ml, rows);
        var result = _ml.Regression.RepeatedCrossValidate(data, _ml.Regression.Trainers.Sdca(maximumNumberOfIterations: 50),
            numberOfFolds: 4, numberOfRepeats: 2, stratify: true, seed: 3);

        var sorted = rows.Select(r => r.Label).OrderBy(v => v).ToArray();
        foreach (var fold in result.Folds)
        {
            var labels = fold.ValidationRowIndices.Select(i => rows[i].Label).ToArray();
            Assert.HasCount(25, labels);
            // one row from every block of 4 neighbouring labels: the fold's smallest label is among the 4 smallest overall
            Assert.IsLessThanOrEqualTo(sorted[3], labels.Min());
            Assert.IsGreaterThanOrEqualTo(sorted[^4], labels.Max());
        }
        Assert.IsGreaterThan(0.8, result.GetMetric("RSquared").Mean);
        Assert.IsFalse(_ml.Regression.RepeatedCrossValidate(data, _ml.Regression.Trainers.Sdca(), 4, 1, seed: 3).Stratified,
            "regression does not stratify by default");
    }

    [TestMethod]
    public void RepeatedCrossValidate_EstimatorThrowsInOneFold_ReportsThatFoldAndKeepsTheOthers()
    {
        var data = SyntheticData.Load(_ml, SyntheticData.BinaryRows(60, seed: 2));
        var result = _ml.BinaryClassification.RepeatedCrossValidate(data, new FailingEstimator(Logistic(), 5), 3, 2, seed: 1);

        var failed = result.FailedFolds.Single();
        Assert.AreEqual(1, failed.Repeat);
        Assert.AreEqual(1, failed.Fold);
        Assert.AreEqual("scripted failure on call 5", failed.Exception!.Message);
        Assert.IsNull(failed.Metrics);
        Assert.AreEqual(5, result.GetMetric("Accuracy").Count);
        StringAssert.Contains(result.ToString(), "repeat 1, fold 1: failed with InvalidOperationException: scripted failure on call 5");
    }

    [TestMethod]
    public void RepeatedCrossValidate_EveryFoldThrows_ThrowsAggregateWithAllExceptions()
    {
        var data = SyntheticData.Load(_ml, SyntheticData.BinaryRows(30, seed: 2));
        var ex = Assert.ThrowsExactly<AggregateException>(() =>
            _ml.BinaryClassification.RepeatedCrossValidate(data, new FailingEstimator(Logistic(), 1, 2, 3), 3, 1, seed: 1));
        Assert.HasCount(3, ex.InnerExceptions);
        StringAssert.StartsWith(ex.Message, "All 3 folds failed; nothing to summarize. First failure (repeat 0, fold 0): InvalidOperationException: scripted failure on call 1");
    }

    [TestMethod]
    public void RepeatedCrossValidate_ModelWithHistoryInChain_ExposesEachFoldsHistory()
    {
        var data = SyntheticData.Load(_ml, SyntheticData.BinaryRows(40, seed: 2));
        var estimator = Logistic().Append(new HistoryEstimator()).Append(_ml.Transforms.CopyColumns("Copy", "Score"));
        var result = _ml.BinaryClassification.RepeatedCrossValidate(data, estimator, 2, 1, seed: 1);

        Assert.IsTrue(result.Folds.All(f => f.History is { Count: 3 }));
        Assert.AreNotSame(result.Folds[0].History, result.Folds[1].History);
    }

    [TestMethod]
    public void RepeatedCrossValidate_DenseNetworkWithNormalizationAndInitializer_EveryFoldLearnsAndKeepsItsHistory()
    {
        var data = SyntheticData.Load(_ml, SyntheticData.BinaryRows(120, seed: 2));
        foreach (var kind in new[] { NormalizationKind.BatchNormalization, NormalizationKind.LayerNormalization })
        {
            var network = _ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions
            {
                HiddenLayerSizes = new[] { 8 }, Normalization = kind, KernelInitializer = KernelInitializer.GlorotNormal, Epochs = 8, LearningRate = 1e-2,
                Seed = 1, NumberOfThreads = 1,
            });

            var result = _ml.BinaryClassification.RepeatedCrossValidate(data, network, numberOfFolds: 3, numberOfRepeats: 2, seed: 3);

            Assert.IsEmpty(result.FailedFolds, $"{kind}");
            Assert.IsTrue(result.Folds.All(f => f.History is { Count: 8 }), $"{kind}: every fold's history");
            Assert.IsTrue(result.Folds.All(f => DenseNetworkModel.FromTransformer(f.Model!).Normalization == kind), $"{kind}: every fold's network is normalized");
            Assert.IsGreaterThan(0.8, result.GetMetric("Accuracy").Mean, $"{kind}");
        }
    }

    [TestMethod]
    public void RepeatedCrossValidate_MissingLabelColumn_Throws()
    {
        var data = SyntheticData.Load(_ml, SyntheticData.BinaryRows(30, seed: 2));
        var ex = Assert.ThrowsExactly<ArgumentException>(() => _ml.BinaryClassification.RepeatedCrossValidate(data, Logistic(), labelColumnName: "Target"));
        Assert.AreEqual("Schema mismatch for label column 'Target': column not found; available columns: 'Id', 'Label', 'Features'. (Parameter 'labelColumnName')", ex.Message);
    }

    [TestMethod]
    public void RepeatedCrossValidate_RegressionStratifiedTextLabel_Throws()
    {
        var data = SyntheticData.Load(_ml, SyntheticData.TextLabelRows(1, 10, 10));
        var ex = Assert.ThrowsExactly<ArgumentException>(() => _ml.Regression.RepeatedCrossValidate(data, _ml.Regression.Trainers.Sdca(), stratify: true));
        Assert.AreEqual("Schema mismatch for label column 'Label': expected a number (Single, Double or an integer type) to stratify a regression label, got String. (Parameter 'labelColumnName')", ex.Message);
    }

    [TestMethod]
    public void RepeatedCrossValidationResult_ToStringAndToMarkdown_ListEveryMetric()
    {
        var data = SyntheticData.Load(_ml, SyntheticData.BinaryRows(60, seed: 2));
        var result = _ml.BinaryClassification.RepeatedCrossValidate(data, Logistic(), 3, 1, seed: 1);
        string text = result.ToString();
        string markdown = result.ToMarkdown();

        StringAssert.StartsWith(text, "1 × 3-fold cross-validation (stratified, seed 1): 3 of 3 folds succeeded\nMetric ");
        StringAssert.Contains(markdown, "| Metric | Mean | SD | 95% CI low | 95% CI high | n |");
        foreach (var metric in result.Metrics)
        {
            StringAssert.Contains(text, metric.Name);
            StringAssert.Contains(markdown, $"| {metric.Name} | {metric.Mean:0.0000} |".Replace(",", "."));
        }
        var missing = Assert.ThrowsExactly<KeyNotFoundException>(() => result.GetMetric("R2"));
        StringAssert.StartsWith(missing.Message, "No metric named 'R2'. Available metrics: Accuracy, AreaUnderRocCurve,");
    }
}
