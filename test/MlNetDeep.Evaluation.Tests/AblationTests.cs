using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Evaluation.Tests;

[TestClass]
public sealed class AblationTests
{
    private readonly MLContext _ml = new(seed: 1);

    [TestMethod]
    public void AblationStudy_LinearModel_NoiseGroupChangesAucByAboutZero_InformativeGroupByALot()
    {
        var data = SyntheticData.Load(_ml, SyntheticData.BinaryRows(240, seed: 12));
        var estimator = _ml.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 30);
        var groups = new[] { FeatureGroup.FromRange("noise channels", 2, 4), FeatureGroup.FromRange("informative", 0, 2) };

        var result = _ml.BinaryClassification.AblationStudy(data, estimator, groups, numberOfFolds: 4, numberOfRepeats: 2, seed: 3);

        var noise = result.Groups[0].GetDelta("AreaUnderRocCurve");
        var informative = result.Groups[1].GetDelta("AreaUnderRocCurve");
        Assert.AreEqual(8, noise.Count, "one paired change per fold and repeat");
        Assert.IsLessThan(0.02, Math.Abs(noise.Mean), result.ToString());
        Assert.IsLessThan(-0.3, informative.Mean, result.ToString());
        Assert.IsGreaterThan(0.9, result.Baseline.GetMetric("AreaUnderRocCurve").Mean);
        CollectionAssert.AreEqual(new[] { 2, 3, 4, 5 }, result.Groups[0].RemovedSlots.ToArray());
        // the same folds for every run: the change is paired fold by fold
        for (int i = 0; i < result.Baseline.Folds.Count; i++)
            CollectionAssert.AreEqual(result.Baseline.Folds[i].ValidationRowIndices.ToArray(), result.Groups[1].CrossValidation.Folds[i].ValidationRowIndices.ToArray());
        double hand = result.Groups[1].CrossValidation.Folds.Zip(result.Baseline.Folds)
            .Average(p => p.First.MetricValues["AreaUnderRocCurve"] - p.Second.MetricValues["AreaUnderRocCurve"]);
        Assert.AreEqual(hand, informative.Mean, 1e-12);

        string text = result.ToString();
        StringAssert.StartsWith(text, "Ablation of column 'Features' by AreaUnderRocCurve (2 × 4-fold, seed 3;");
        StringAssert.Contains(text, "noise channels");
        StringAssert.Contains(result.ToMarkdown("Accuracy"), "| informative | 2 |");
    }

    [TestMethod]
    public void AblationStudy_RegressionGroupsBySlotNames_ResolvesNames()
    {
        var data = WithSlotNames(SyntheticData.RegressionRows(120, seed: 4));
        var groups = new[] { FeatureGroup.FromSlotNames("x0", new[] { "x0" }), FeatureGroup.FromSlotNames("noise", new[] { "n5", "n2", "n3", "n4" }) };

        var result = _ml.Regression.AblationStudy(data, _ml.Regression.Trainers.Sdca(maximumNumberOfIterations: 200), groups, numberOfFolds: 3, seed: 1);

        CollectionAssert.AreEqual(new[] { 0 }, result.Groups[0].RemovedSlots.ToArray());
        CollectionAssert.AreEqual(new[] { 2, 3, 4, 5 }, result.Groups[1].RemovedSlots.ToArray());
        Assert.IsLessThan(-0.5, result.Groups[0].GetDelta("RSquared").Mean, result.ToString());
        // SDCA stops short of the exact least-squares fit, so "about zero" is looser here than in the binary test
        Assert.IsLessThan(0.05, Math.Abs(result.Groups[1].GetDelta("RSquared").Mean), result.ToString());
        Assert.AreEqual("RSquared", result.PrimaryMetric);
    }

    [TestMethod]
    public void AblationStudy_MulticlassLbfgs_Works()
    {
        var data = SyntheticData.Load(_ml, SyntheticData.TextLabelRows(2, 30, 30, 30));
        var estimator = _ml.Transforms.Conversion.MapValueToKey("Label").Append(_ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy());
        var result = _ml.MulticlassClassification.AblationStudy(data, estimator, new[] { FeatureGroup.FromSlots("first two", new[] { 1, 0 }) }, numberOfFolds: 3, seed: 2);
        Assert.IsLessThan(-0.3, result.Groups[0].GetDelta("MicroAccuracy").Mean, result.ToString());
    }

    [TestMethod]
    public void FeatureGroup_Empty_Throws()
    {
        var range = Assert.ThrowsExactly<ArgumentException>(() => FeatureGroup.FromRange("image border", 0, 0));
        Assert.AreEqual("Feature group 'image border' is empty: expected at least one slot. (Parameter 'count')", range.Message);
        var slots = Assert.ThrowsExactly<ArgumentException>(() => FeatureGroup.FromSlots("noise", Array.Empty<int>()));
        Assert.AreEqual("Feature group 'noise' is empty: expected at least one slot. (Parameter 'slotIndices')", slots.Message);
        var names = Assert.ThrowsExactly<ArgumentException>(() => FeatureGroup.FromSlotNames("words", Array.Empty<string>()));
        Assert.AreEqual("Feature group 'words' is empty: expected at least one slot. (Parameter 'slotNames')", names.Message);
        var negative = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => FeatureGroup.FromSlots("bad", new[] { 3, -1 }));
        Assert.AreEqual("Feature group 'bad' has slot -1: expected slot indices of at least 0. (Parameter 'slotIndices')", negative.Message);
        var name = Assert.ThrowsExactly<ArgumentException>(() => FeatureGroup.FromRange(" ", 0, 1));
        Assert.AreEqual("Invalid value for name: expected a non-empty group name. Received: name=' '. (Parameter 'name')", name.Message);
    }

    [TestMethod]
    public void AblationStudy_BadGroupsOrFeatureColumn_ThrowBeforeTraining()
    {
        var data = WithSlotNames(SyntheticData.RegressionRows(30, seed: 4));
        var sdca = _ml.Regression.Trainers.Sdca();
        string Message(IEnumerable<FeatureGroup> groups, string column = "Features")
            => Assert.ThrowsExactly<ArgumentException>(() => _ml.Regression.AblationStudy(data, sdca, groups, column, numberOfFolds: 3)).Message;

        Assert.AreEqual("Feature group 'far' refers to slot 6, but column 'Features' has 6 slots. (Parameter 'featureGroups')",
            Message(new[] { FeatureGroup.FromRange("far", 4, 3) }));
        Assert.AreEqual("Feature group 'all' removes all 6 slots of column 'Features'; at least one must remain. (Parameter 'featureGroups')",
            Message(new[] { FeatureGroup.FromRange("all", 0, 6) }));
        Assert.AreEqual("Feature group 'typo' names slots that column 'Features' does not have: 'x9', 'y'. (Parameter 'featureGroups')",
            Message(new[] { FeatureGroup.FromSlotNames("typo", new[] { "x0", "x9", "y" }) }));
        Assert.AreEqual("Invalid value for featureGroups: expected at least one feature group. Received: an empty list. (Parameter 'featureGroups')",
            Message(Array.Empty<FeatureGroup>()));
        Assert.AreEqual("Invalid value for featureGroups: expected unique group names. Received: 'a' 2 times. (Parameter 'featureGroups')",
            Message(new[] { FeatureGroup.FromRange("a", 0, 1), FeatureGroup.FromRange("a", 1, 1) }));
        Assert.AreEqual("Schema mismatch for feature column 'Pixels': column not found; available columns: 'Id', 'Label', 'Features'. (Parameter 'featureColumnName')",
            Message(new[] { FeatureGroup.FromRange("a", 0, 1) }, "Pixels"));
        Assert.AreEqual("Schema mismatch for feature column 'Label': expected a known-size vector of Single, got Single. (Parameter 'featureColumnName')",
            Message(new[] { FeatureGroup.FromRange("a", 0, 1) }, "Label"));
        var unnamed = SyntheticData.Load(_ml, SyntheticData.RegressionRows(30, seed: 4));
        Assert.AreEqual("Feature group 'x0' names slots, but column 'Features' has no slot names. (Parameter 'featureGroups')",
            Assert.ThrowsExactly<ArgumentException>(() => _ml.Regression.AblationStudy(unnamed, sdca, new[] { FeatureGroup.FromSlotNames("x0", new[] { "x0" }) }, numberOfFolds: 3)).Message);
    }

    [TestMethod]
    public void AblationStudy_UnknownSizeFeatureVector_Throws()
    {
        var data = _ml.Data.LoadFromEnumerable(new[] { new VariableRow { Label = 1, Features = new float[] { 1, 2 } }, new VariableRow { Label = 2, Features = new float[] { 3 } } });
        var ex = Assert.ThrowsExactly<ArgumentException>(() =>
            _ml.Regression.AblationStudy(data, _ml.Regression.Trainers.Sdca(), new[] { FeatureGroup.FromRange("a", 0, 1) }, numberOfFolds: 2));
        Assert.AreEqual("Schema mismatch for feature column 'Features': expected a known-size vector of Single, got Vector<Single> of unknown size. (Parameter 'featureColumnName')", ex.Message);
    }

    private sealed class VariableRow
    {
        public float Label { get; set; }
        public float[] Features { get; set; } = Array.Empty<float>();
    }

    /// <summary>Loads regression rows with slot names x0, x1, n2 … n5 on the feature column.</summary>
    private IDataView WithSlotNames(SyntheticData.RegressionRow[] rows)
    {
        var definition = SchemaDefinition.Create(typeof(SyntheticData.RegressionRow));
        var names = new VBuffer<ReadOnlyMemory<char>>(6, new[] { "x0", "x1", "n2", "n3", "n4", "n5" }.Select(s => s.AsMemory()).ToArray());
        definition["Features"].AddAnnotation("SlotNames", names, new VectorDataViewType(TextDataViewType.Instance, 6));
        return _ml.Data.LoadFromEnumerable(rows, definition);
    }
}
