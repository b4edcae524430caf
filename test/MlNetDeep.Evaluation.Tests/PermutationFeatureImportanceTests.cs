using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Evaluation.Tests;

[TestClass]
public sealed class PermutationFeatureImportanceTests
{
    private static readonly string[] Signals = { "Signal1", "Signal2" };
    private static readonly string[] Noises = { "Noise1", "Noise2", "Noise3" };

    /// <summary>Signals rank first by the metric, each with a change far beyond every noise feature's, which stays near 0.</summary>
    private static void AssertSignalsMatter<T>(PermutationFeatureImportanceResult<T> importance, string metric, double minimumChange, double noiseTolerance)
        where T : class
    {
        var ranked = importance.Ranked(metric).Select(f => f.Name).ToArray();
        CollectionAssert.AreEquivalent(Signals, ranked.Take(2).ToArray(), $"ranking by {metric}: {string.Join(", ", ranked)}\n{importance.ToText(metric)}");
        double sign = metric is "RootMeanSquaredError" or "LogLoss" ? 1 : -1;
        foreach (var signal in Signals)
            Assert.IsGreaterThan(minimumChange, sign * importance[signal].GetDelta(metric).Mean, $"{signal}\n{importance.ToText(metric)}");
        foreach (var noise in Noises)
            Assert.IsLessThan(noiseTolerance, Math.Abs(importance[noise].GetDelta(metric).Mean), $"{noise}\n{importance.ToText(metric)}");
    }

    [TestMethod]
    public void Binary_DenseNetworkPipeline_SignalsRankFirstAndNoiseStaysNearZero()
    {
        var ml = new MLContext(seed: 1);
        var data = ImportanceData.Load(ml, 600, seed: 1);
        var model = ImportanceData.Featurize(ml).Append(ml.BinaryClassification.Trainers.DenseNetwork(ImportanceData.Network("Label"))).Fit(data);

        var importance = ml.BinaryClassification.PermutationFeatureImportanceByName(model, data, permutationCount: 3, seed: 1);

        CollectionAssert.AreEqual(ImportanceData.Columns, importance.Keys.ToArray(), "keyed by slot name, in slot order");
        Assert.AreEqual("AreaUnderRocCurve", importance.PrimaryMetric);
        Assert.AreEqual((3, 600, 1), (importance.PermutationCount, importance.NumberOfExamples, importance.Seed));
        Assert.IsGreaterThan(0.95, importance.Baseline.AreaUnderRocCurve);
        AssertSignalsMatter(importance, "AreaUnderRocCurve", minimumChange: 0.1, noiseTolerance: 0.01);
        AssertSignalsMatter(importance, "Accuracy", minimumChange: 0.1, noiseTolerance: 0.03);
        Assert.AreEqual(3, importance["Signal1"].GetDelta("AreaUnderRocCurve").Count, "one change per permutation");
        Assert.IsFalse(double.IsNaN(importance["Signal1"].GetDelta("AreaUnderRocCurve").StandardDeviation), "an SD over 3 permutations");
        Assert.IsTrue(importance.BaselineValues.ContainsKey("LogLoss"), "a calibrated model is evaluated with LogLoss");
    }

    [TestMethod]
    public void Binary_InBoxSdcaPipeline_SignalsRankFirst()
    {
        var ml = new MLContext(seed: 1);
        var data = ImportanceData.Load(ml, 600, seed: 2);
        var model = ImportanceData.Featurize(ml).Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression()).Fit(data);

        var importance = ml.BinaryClassification.PermutationFeatureImportanceByName(model, data, permutationCount: 3, seed: 1);

        AssertSignalsMatter(importance, "AreaUnderRocCurve", minimumChange: 0.1, noiseTolerance: 0.01);
    }

    [TestMethod]
    public void Binary_NonCalibratedPredictor_IsEvaluatedWithoutProbability()
    {
        var ml = new MLContext(seed: 1);
        var data = ImportanceData.Load(ml, 400, seed: 3);
        var model = ImportanceData.Featurize(ml).Append(ml.BinaryClassification.Trainers.SdcaNonCalibrated()).Fit(data);

        var importance = ml.BinaryClassification.PermutationFeatureImportanceByName(model, data, permutationCount: 2, seed: 1);

        Assert.IsFalse(importance.BaselineValues.ContainsKey("LogLoss"));
        AssertSignalsMatter(importance, "AreaUnderRocCurve", minimumChange: 0.1, noiseTolerance: 0.01);
    }

    [TestMethod]
    public void Multiclass_DenseNetworkPipeline_SignalsRankFirst()
    {
        var ml = new MLContext(seed: 1);
        var data = ImportanceData.Load(ml, 600, seed: 4);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", "Class")
            .Append(ImportanceData.Featurize(ml))
            .Append(ml.MulticlassClassification.Trainers.DenseNetwork(ImportanceData.Network("Label")))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel"));
        var model = pipeline.Fit(data);

        var importance = ml.MulticlassClassification.PermutationFeatureImportanceByName(model, data, permutationCount: 3, seed: 1);

        Assert.AreEqual("MicroAccuracy", importance.PrimaryMetric);
        Assert.IsGreaterThan(0.85, importance.Baseline.MicroAccuracy);
        AssertSignalsMatter(importance, "MicroAccuracy", minimumChange: 0.15, noiseTolerance: 0.03);
        AssertSignalsMatter(importance, "LogLoss", minimumChange: 0.2, noiseTolerance: 0.05);
    }

    [TestMethod]
    public void Regression_DenseNetworkAndSdcaPipelines_SignalsRankFirst()
    {
        var ml = new MLContext(seed: 1);
        var data = ImportanceData.Load(ml, 600, seed: 5);
        // SDCA regression converges badly on min-max scaled features here (R² < 0), so it reads the raw concatenation
        var pipelines = new IEstimator<ITransformer>[]
        {
            ImportanceData.Featurize(ml).Append(ml.Regression.Trainers.DenseNetwork(ImportanceData.Network("Target"))),
            ml.Transforms.Concatenate("Features", ImportanceData.Columns).Append(ml.Regression.Trainers.Sdca(labelColumnName: "Target")),
        };
        foreach (var pipeline in pipelines)
        {
            var model = pipeline.Fit(data);
            string trainer = ((IEnumerable<ITransformer>)model).Last().GetType().Name;

            var importance = ml.Regression.PermutationFeatureImportanceByName(model, data, labelColumnName: "Target", permutationCount: 3, seed: 1);

            Assert.IsGreaterThan(0.9, importance.Baseline.RSquared, trainer);
            AssertSignalsMatter(importance, "RSquared", minimumChange: 0.5, noiseTolerance: 0.03);
            AssertSignalsMatter(importance, "RootMeanSquaredError", minimumChange: 0.5, noiseTolerance: 0.05);
            Assert.AreEqual("Signal1", importance.Ranked()[0].Name, $"{trainer}: Signal1's coefficient (2) is larger than Signal2's (1.5)");
        }
    }

    [TestMethod]
    public void SavedAndLoadedInFreshContext_GivesTheSameImportances_WhereMlNetsOwnMethodThrows()
    {
        var ml = new MLContext(seed: 1);
        var data = ImportanceData.Load(ml, 500, seed: 6);
        var model = ImportanceData.Featurize(ml).Append(ml.BinaryClassification.Trainers.DenseNetwork(ImportanceData.Network("Label"))).Fit(data);
        var fitted = ml.BinaryClassification.PermutationFeatureImportanceByName(model, data, permutationCount: 2, seed: 7);
        using var zip = new MemoryStream();
        ml.Model.Save(model, data.Schema, zip);
        zip.Position = 0;

        var fresh = new MLContext(seed: 99);
        var loaded = fresh.Model.Load(zip, out _);
        var freshData = ImportanceData.Load(fresh, 500, seed: 6);
        var reloaded = fresh.BinaryClassification.PermutationFeatureImportanceByName(loaded, freshData, permutationCount: 2, seed: 7);

        Assert.IsInstanceOfType<TransformerChain<ITransformer>>(loaded);
        CollectionAssert.AreEqual(fitted.Keys.ToArray(), reloaded.Keys.ToArray());
        Assert.AreEqual(fitted.Baseline.AreaUnderRocCurve, reloaded.Baseline.AreaUnderRocCurve);
        foreach (var name in fitted.Keys)
            foreach (var delta in fitted[name].Deltas)
                CollectionAssert.AreEqual(delta.Values.ToArray(), reloaded[name].GetDelta(delta.Name).Values.ToArray(), $"{name} {delta.Name}");
        AssertSignalsMatter(reloaded, "AreaUnderRocCurve", minimumChange: 0.1, noiseTolerance: 0.01);

        // the limitation these methods work around: ML.NET 5's whole-model PFI (for binary tasks it is named
        // PermutationFeatureImportanceNonCalibrated) rejects the loaded chain
        var error = Assert.Throws<Exception>(() => fresh.BinaryClassification.PermutationFeatureImportanceNonCalibrated(loaded, loaded.Transform(freshData)));
        StringAssert.Contains(error.Message, "does not have a compatible predictor");
    }

    [TestMethod]
    public void FeatureColumnMadeInsideANestedChain_IsFoundThere()
    {
        var ml = new MLContext(seed: 1);
        var data = ImportanceData.Load(ml, 400, seed: 10);
        var inner = ImportanceData.Featurize(ml).Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression()).Fit(data);
        var nested = new TransformerChain<ITransformer>(inner, ml.Transforms.CopyColumns("Decision", "PredictedLabel").Fit(inner.Transform(data)));

        var flat = ml.BinaryClassification.PermutationFeatureImportanceByName(inner, data, permutationCount: 2, seed: 1);
        var opened = ml.BinaryClassification.PermutationFeatureImportanceByName(nested, data, permutationCount: 2, seed: 1);

        foreach (var name in flat.Keys)
            CollectionAssert.AreEqual(flat[name].GetDelta("AreaUnderRocCurve").Values.ToArray(), opened[name].GetDelta("AreaUnderRocCurve").Values.ToArray(), name);
        AssertSignalsMatter(opened, "AreaUnderRocCurve", minimumChange: 0.1, noiseTolerance: 0.01);
    }

    [TestMethod]
    public void NoSlotNames_FallBackToColumnAndIndex_AndAConstantSlotChangesNothing()
    {
        var ml = new MLContext(seed: 1);
        var rng = new Random(8);
        var rows = Enumerable.Range(0, 300).Select(_ =>
        {
            var f = new[] { (float)rng.NextDouble() - 0.5f, (float)rng.NextDouble(), 0f };
            return new VectorRow { Features = f, Label = f[0] > 0 };
        }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.BinaryClassification.Trainers.SdcaLogisticRegression().Fit(data);

        var importance = ml.BinaryClassification.PermutationFeatureImportanceByName(model, data, permutationCount: 2, seed: 1);

        CollectionAssert.AreEqual(new[] { "Features[0]", "Features[1]", "Features[2]" }, importance.Keys.ToArray());
        Assert.AreEqual("Features[0]", importance.Ranked()[0].Name);
        foreach (var delta in importance["Features[2]"].Deltas)
            CollectionAssert.AreEqual(new[] { 0.0, 0.0 }, delta.Values.ToArray(), delta.Name);
    }

    [TestMethod]
    public void NumberOfExamplesToUse_EvaluatesThatManyRows_AndSameSeedRepeats()
    {
        var ml = new MLContext(seed: 1);
        var data = ImportanceData.Load(ml, 400, seed: 9);
        var model = ImportanceData.Featurize(ml).Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression()).Fit(data);

        var first = ml.BinaryClassification.PermutationFeatureImportanceByName(model, data, numberOfExamplesToUse: 150, permutationCount: 2, seed: 3);
        var second = ml.BinaryClassification.PermutationFeatureImportanceByName(model, data, numberOfExamplesToUse: 150, permutationCount: 2, seed: 3);
        var other = ml.BinaryClassification.PermutationFeatureImportanceByName(model, data, numberOfExamplesToUse: 150, permutationCount: 2, seed: 4);

        Assert.AreEqual(150, first.NumberOfExamples);
        CollectionAssert.AreEqual(first["Signal1"].GetDelta("Accuracy").Values.ToArray(), second["Signal1"].GetDelta("Accuracy").Values.ToArray());
        CollectionAssert.AreNotEqual(first["Signal1"].GetDelta("AreaUnderRocCurve").Values.ToArray(), other["Signal1"].GetDelta("AreaUnderRocCurve").Values.ToArray());
        string text = first.ToString();
        StringAssert.StartsWith(text, "Permutation feature importance of column 'Features' by AreaUnderRocCurve (baseline ");
        StringAssert.Contains(text, "2 permutation(s) of 150 rows, seed 3");
        StringAssert.Contains(first.ToMarkdown(), "| Rank | Feature | Slot |");
    }

    private sealed class VectorRow
    {
        [VectorType(3)] public float[] Features { get; set; } = Array.Empty<float>();
        public bool Label { get; set; }
    }
}
