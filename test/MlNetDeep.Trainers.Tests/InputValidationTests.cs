using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Trainers.Tests;

[TestClass]
public sealed class InputValidationTests
{
    private sealed class TextFeatures
    {
        public string Features { get; set; } = "";

        public bool Label { get; set; }
    }

    private sealed class VariableFeatures
    {
        public float[] Features { get; set; } = Array.Empty<float>();

        public bool Label { get; set; }
    }

    private sealed class StringLabel
    {
        [VectorType(2)]
        public float[] Features { get; set; } = Array.Empty<float>();

        public string Label { get; set; } = "";
    }

    private static DenseNetworkOptions Quick() => new() { Epochs = 1, Seed = 1 };

    [TestMethod]
    public void GetOutputSchema_TextFeatureColumn_NamesColumnExpectedAndActualType()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new TextFeatures { Features = "a" } });
        var pipeline = ml.Transforms.CopyColumns("Copy", "Label").Append(ml.BinaryClassification.Trainers.DenseNetwork(Quick()));

        // EstimatorChain.Fit checks every estimator's GetOutputSchema before fitting the first one
        var error = Assert.ThrowsExactly<ArgumentException>(() => pipeline.Fit(data));

        Assert.AreEqual("Schema mismatch for feature column 'Features': expected a known-size vector of Single, got String.", error.Message);
        StringAssert.Contains(error.StackTrace, "GetOutputSchema");
        Assert.DoesNotContain("TrainingSet", error.StackTrace!);
    }

    [TestMethod]
    public void Fit_VariableSizeFeatures_SaysUnknownSize()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new VariableFeatures { Features = new[] { 1f } } });

        var error = Assert.ThrowsExactly<ArgumentException>(() => ml.BinaryClassification.Trainers.DenseNetwork(Quick()).Fit(data));

        Assert.AreEqual("Schema mismatch for feature column 'Features': expected a known-size vector of Single, got Vector<Single> of unknown size.", error.Message);
    }

    [TestMethod]
    public void GetOutputSchema_MissingAndWronglyTypedColumns_AllListed()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new StringLabel { Features = new[] { 1f, 2f } } });
        var options = Quick();
        options.ExampleWeightColumnName = "Weight";

        var error = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.CopyColumns("Copy", "Label").Append(ml.MulticlassClassification.Trainers.DenseNetwork(options)).Fit(data));

        Assert.AreEqual(string.Join(Environment.NewLine,
            "Schema mismatch for label column 'Label': expected a key type (use mlContext.Transforms.Conversion.MapValueToKey) for multiclass classification, got String.",
            "Schema mismatch for example-weight column 'Weight': column not found; available columns: 'Features', 'Label', 'Copy'."), error.Message);
    }

    [TestMethod]
    public void Fit_RegressionWithBooleanLabel_Refused()
    {
        var ml = new MLContext(1);

        var error = Assert.ThrowsExactly<ArgumentException>(() => ml.Regression.Trainers.DenseNetwork(Quick()).Fit(SyntheticData.BinaryView(ml, 10, 1)));

        Assert.AreEqual("Schema mismatch for label column 'Label': expected Single for regression, got Boolean.", error.Message);
    }

    [TestMethod]
    public void Fit_NaNAndInfinityInFeatures_CountedAndFirstRowNamed()
    {
        var ml = new MLContext(1);
        var rows = SyntheticData.Binary(20, 1);
        rows[3].Features[2] = float.NaN;
        rows[7].Features[0] = float.PositiveInfinity;

        var error = Assert.ThrowsExactly<ArgumentException>(() => ml.BinaryClassification.Trainers.DenseNetwork(Quick()).Fit(ml.Data.LoadFromEnumerable(rows)));

        Assert.AreEqual("Column 'Features' has 2 training row(s) with NaN or infinite values (first: row 3, slot 2, value NaN); remove or replace them (e.g. mlContext.Transforms.ReplaceMissingValues) before training.", error.Message);
    }

    [TestMethod]
    public void Fit_NaNRegressionLabel_Refused()
    {
        var ml = new MLContext(1);
        var rows = SyntheticData.Regression(20, 1);
        rows[5].Label = float.NaN;

        var error = Assert.ThrowsExactly<ArgumentException>(() => ml.Regression.Trainers.DenseNetwork(Quick()).Fit(ml.Data.LoadFromEnumerable(rows)));

        Assert.AreEqual("Column 'Label' has 1 training row(s) with a NaN or infinite label (first: row 5, value NaN); remove them before training.", error.Message);
    }

    [TestMethod]
    public void Fit_EmptyData_Refused()
    {
        var ml = new MLContext(1);

        var error = Assert.ThrowsExactly<ArgumentException>(() => ml.BinaryClassification.Trainers.DenseNetwork(Quick()).Fit(ml.Data.LoadFromEnumerable(new List<BinaryRow>())));

        Assert.AreEqual("The training data has no rows.", error.Message);
    }

    [TestMethod]
    public void Fit_MulticlassUnknownLabelKey_Refused()
    {
        var ml = new MLContext(1);
        var known = ml.Data.LoadFromEnumerable(SyntheticData.Multiclass(30, 1).Where(r => r.Label != "west"));
        var all = ml.Data.LoadFromEnumerable(SyntheticData.Multiclass(30, 1));
        var mapped = ml.Transforms.Conversion.MapValueToKey("Label").Fit(known).Transform(all); // "west" rows get key 0

        var error = Assert.ThrowsExactly<ArgumentException>(() => ml.MulticlassClassification.Trainers.DenseNetwork(Quick()).Fit(mapped));

        StringAssert.StartsWith(error.Message, "Column 'Label' has ");
        StringAssert.Contains(error.Message, "training row(s) with a missing key (a label value the key mapping did not know;");
    }

    [TestMethod]
    public void Transform_FeatureVectorOfAnotherSize_ClearError()
    {
        var ml = new MLContext(1);
        var model = ml.BinaryClassification.Trainers.DenseNetwork(Quick()).Fit(SyntheticData.BinaryView(ml, 20, 1));
        var other = ml.Data.LoadFromEnumerable(new[] { new StringLabel { Features = new[] { 1f, 2f }, Label = "x" } });

        var error = Assert.ThrowsExactly<ArgumentException>(() => model.Transform(other));

        Assert.AreEqual("Schema mismatch for feature column 'Features': expected Vector<Single, 4> (the size the network was trained on), got Vector<Single, 2>.", error.Message);
    }

    [TestMethod]
    public void Fit_ValidationFractionLeavingNoRows_Refused()
    {
        var ml = new MLContext(1);
        var options = Quick();
        options.ValidationFraction = 0.5;

        var error = Assert.ThrowsExactly<ArgumentException>(() => ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(SyntheticData.BinaryView(ml, 1, 1)));

        Assert.AreEqual("ValidationFraction=0.5 of 1 rows leaves 0 training and 1 validation rows; both need at least one.", error.Message);
    }

    [TestMethod]
    public void Fit_SparseFeatures_TrainsAndScoresLikeDense()
    {
        var ml = new MLContext(1);
        var dense = SyntheticData.Binary(300, 1);
        foreach (var row in dense)
            row.Features[3] = 0; // make every row sparse in slot 3
        var denseView = ml.Data.LoadFromEnumerable(dense);
        // a sparse copy of the same vectors, through ML.NET's own sparse representation
        var sparseView = ml.Transforms.Concatenate("Sparse", "Features").Fit(denseView).Transform(denseView);
        var sparse = ml.Transforms.CustomMapping<SparseIn, SparseOut>((i, o) =>
        {
            var values = i.Sparse.DenseValues().ToArray();
            var indices = Enumerable.Range(0, values.Length).Where(k => values[k] != 0).ToArray();
            o.Features = new VBuffer<float>(values.Length, indices.Length, indices.Select(k => values[k]).ToArray(), indices);
        }, contractName: null).Fit(sparseView).Transform(sparseView);

        var options = new DenseNetworkOptions { Epochs = 3, Seed = 4 };
        var fromDense = ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(denseView);
        var fromSparse = ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(sparse);

        CollectionAssert.AreEqual(fromDense.History.Losses.ToArray(), fromSparse.History.Losses.ToArray());
        CollectionAssert.AreEqual(TestUtilities.Columns.Scalars<float>(fromDense.Transform(denseView), "Score"), TestUtilities.Columns.Scalars<float>(fromSparse.Transform(sparse), "Score"));
    }

    public sealed class SparseIn
    {
        [VectorType(4)]
        public VBuffer<float> Sparse { get; set; }
    }

    public sealed class SparseOut
    {
        [VectorType(4)]
        public VBuffer<float> Features { get; set; }
    }
}
