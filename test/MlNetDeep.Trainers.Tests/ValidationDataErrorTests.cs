using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Trainers.Tests;

/// <summary>Every error about <see cref="DenseNetworkOptions.ValidationData"/> says it is the validation data, not the training data.</summary>
[TestClass]
public sealed class ValidationDataErrorTests
{
    private sealed class NoLabel
    {
        [VectorType(4)]
        public float[] Features { get; set; } = new float[4];
    }

    private sealed class SingleLabel
    {
        [VectorType(4)]
        public float[] Features { get; set; } = new float[4];

        public float Label { get; set; }
    }

    private sealed class NoFeatures
    {
        public bool Label { get; set; }
    }

    private sealed class ThreeFeatures
    {
        [VectorType(3)]
        public float[] Features { get; set; } = new float[3];

        public bool Label { get; set; }
    }

    private static DenseNetworkOptions With(IDataView validation) => new() { Epochs = 1, Seed = 1, ValidationData = validation };

    [TestMethod]
    public void Fit_ValidationDataWithoutLabel_SaysValidationData()
    {
        var ml = new MLContext(1);
        var validation = ml.Data.LoadFromEnumerable(new[] { new NoLabel() });

        var error = Assert.ThrowsExactly<ArgumentException>(() => ml.BinaryClassification.Trainers.DenseNetwork(With(validation)).Fit(SyntheticData.BinaryView(ml, 50, 1)));

        Assert.AreEqual("ValidationData: Schema mismatch for label column 'Label': column not found; available columns: 'Features'.", error.Message);
    }

    [TestMethod]
    public void Fit_ValidationDataWithWrongLabelType_SaysValidationDataAndBothTypes()
    {
        var ml = new MLContext(1);
        var validation = ml.Data.LoadFromEnumerable(new[] { new SingleLabel() });

        var error = Assert.ThrowsExactly<ArgumentException>(() => ml.BinaryClassification.Trainers.DenseNetwork(With(validation)).Fit(SyntheticData.BinaryView(ml, 50, 1)));

        Assert.AreEqual("ValidationData: Schema mismatch for label column 'Label': expected Boolean for binary classification, got Single.", error.Message);
    }

    [TestMethod]
    public void GetOutputSchema_ValidationDataWithoutFeatures_FailsBeforeTraining()
    {
        var ml = new MLContext(1);
        var validation = ml.Data.LoadFromEnumerable(new[] { new NoFeatures() });
        var pipeline = ml.Transforms.CopyColumns("Copy", "Label").Append(ml.BinaryClassification.Trainers.DenseNetwork(With(validation)));

        var error = Assert.ThrowsExactly<ArgumentException>(() => pipeline.Fit(SyntheticData.BinaryView(ml, 50, 1)));

        Assert.AreEqual("ValidationData: Schema mismatch for feature column 'Features': column not found; available columns: 'Label'.", error.Message);
        StringAssert.Contains(error.StackTrace, "GetOutputSchema");
    }

    [TestMethod]
    public void Fit_ValidationDataWithOtherFeatureSize_SaysValidationDataAndBothSizes()
    {
        var ml = new MLContext(1);
        var validation = ml.Data.LoadFromEnumerable(new[] { new ThreeFeatures() });

        var error = Assert.ThrowsExactly<ArgumentException>(() => ml.BinaryClassification.Trainers.DenseNetwork(With(validation)).Fit(SyntheticData.BinaryView(ml, 50, 1)));

        Assert.AreEqual("ValidationData: Schema mismatch for feature column 'Features': expected Vector<Single, 4> (the training data's size), got Vector<Single, 3>.", error.Message);
    }

    [TestMethod]
    public void Fit_NaNInValidationRows_SaysValidationDataRowAndSlot()
    {
        var ml = new MLContext(1);
        var rows = SyntheticData.Binary(20, 2);
        rows[7].Features[1] = float.NaN;
        rows[9].Features[0] = float.PositiveInfinity;

        var error = Assert.ThrowsExactly<ArgumentException>(() => ml.BinaryClassification.Trainers.DenseNetwork(With(ml.Data.LoadFromEnumerable(rows))).Fit(SyntheticData.BinaryView(ml, 50, 1)));

        Assert.AreEqual("ValidationData: Column 'Features' has 2 validation row(s) with NaN or infinite values (first: row 7, slot 1, value NaN); remove or replace them (e.g. mlContext.Transforms.ReplaceMissingValues) before training.", error.Message);
    }

    [TestMethod]
    public void Fit_NaNRegressionLabelInValidationRows_SaysValidationData()
    {
        var ml = new MLContext(1);
        var rows = SyntheticData.Regression(20, 2);
        rows[4].Label = float.NaN;

        var error = Assert.ThrowsExactly<ArgumentException>(() => ml.Regression.Trainers.DenseNetwork(With(ml.Data.LoadFromEnumerable(rows))).Fit(SyntheticData.RegressionView(ml, 50, 1)));

        Assert.AreEqual("ValidationData: Column 'Label' has 1 validation row(s) with a NaN or infinite label (first: row 4, value NaN); remove them before training.", error.Message);
    }

    [TestMethod]
    public void Fit_ValidationDataWithOtherClassCount_SaysValidationData()
    {
        var ml = new MLContext(1);
        var twoClasses = ml.Data.LoadFromEnumerable(SyntheticData.Multiclass(60, 3).Where(r => r.Label != "west"));
        var validation = ml.Transforms.Conversion.MapValueToKey("Label").Fit(twoClasses).Transform(twoClasses);

        var error = Assert.ThrowsExactly<ArgumentException>(() => ml.MulticlassClassification.Trainers.DenseNetwork(With(validation)).Fit(SyntheticData.MulticlassView(ml, 60, 1)));

        StringAssert.StartsWith(error.Message, "ValidationData: Schema mismatch for label column 'Label': expected a key type with 3 classes (as in the training data), got Key<UInt32, 2>. Map both with the same MapValueToKey transformer.");
    }

    [TestMethod]
    public void Fit_TrainingDataErrors_HaveNoValidationPrefix()
    {
        var ml = new MLContext(1);
        var training = ml.Data.LoadFromEnumerable(new[] { new SingleLabel() });

        var error = Assert.ThrowsExactly<ArgumentException>(() => ml.BinaryClassification.Trainers.DenseNetwork(With(SyntheticData.BinaryView(ml, 20, 2))).Fit(training));

        Assert.AreEqual("Schema mismatch for label column 'Label': expected Boolean for binary classification, got Single.", error.Message);
    }
}
