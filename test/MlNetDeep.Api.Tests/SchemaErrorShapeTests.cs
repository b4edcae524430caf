using System.Text.RegularExpressions;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Api.Tests;

/// <summary>
/// Trainers, Evaluation and Transforms word a missing column and a column of the wrong type the same way (issue 11):
/// "Schema mismatch for {role} column '{name}': column not found; available columns: 'A', 'B'." and
/// "Schema mismatch for {role} column '{name}': expected {expected}, got {actual}." (then ML.NET's " (Parameter 'x')").
/// </summary>
[TestClass]
public sealed class SchemaErrorShapeTests
{
    private static readonly Regex MissingShape = new(
        @"^Schema mismatch for [a-z-]+ column '[^']+': column not found; available columns: '[^']+'(, '[^']+')*\.( \(Parameter '\w+'\))?$");

    private static readonly Regex WrongTypeShape = new(
        @"^Schema mismatch for [a-z-]+ column '[^']+': expected [^;]+, got [^;]+\.( \(Parameter '\w+'\))?$");

    private sealed class Row
    {
        public bool Label { get; set; }

        [VectorType(2)]
        public float[] Features { get; set; } = [0f, 0f];

        public string Text { get; set; } = "";
    }

    private static IDataView Data(MLContext ml) => ml.Data.LoadFromEnumerable(
        Enumerable.Range(0, 10).Select(i => new Row { Label = i % 2 == 0, Features = [i, -i], Text = $"w{i}" }));

    private static void AssertShape(Regex shape, string role, string column, Action action)
    {
        var error = Assert.ThrowsExactly<ArgumentException>(action);
        StringAssert.Matches(error.Message, shape);
        StringAssert.StartsWith(error.Message, $"Schema mismatch for {role} column '{column}': ");
    }

    [TestMethod]
    public void Trainers_MissingAndWrongType_SameShape()
    {
        var ml = new MLContext(seed: 1);
        var data = Data(ml);
        AssertShape(MissingShape, "feature", "Pixels", () =>
            ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions { FeatureColumnName = "Pixels" }).Fit(data));
        AssertShape(WrongTypeShape, "feature", "Text", () =>
            ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions { FeatureColumnName = "Text" }).Fit(data));
    }

    [TestMethod]
    public void Evaluation_MissingAndWrongType_SameShape()
    {
        var ml = new MLContext(seed: 1);
        var data = Data(ml);
        var trainer = ml.BinaryClassification.Trainers.SdcaLogisticRegression();
        AssertShape(MissingShape, "label", "Target", () => ml.BinaryClassification.RepeatedCrossValidate(data, trainer, labelColumnName: "Target"));
        AssertShape(WrongTypeShape, "label", "Features", () => ml.BinaryClassification.RepeatedCrossValidate(data, trainer, labelColumnName: "Features"));
    }

    [TestMethod]
    public void Transforms_MissingAndWrongType_SameShape()
    {
        var ml = new MLContext(seed: 1);
        var data = Data(ml);
        AssertShape(MissingShape, "input", "Words", () => ml.Transforms.Text.VectorizeBagOfWords("Bag", "Words").Fit(data));
        AssertShape(WrongTypeShape, "input", "Features", () => ml.Transforms.Text.VectorizeBagOfWords("Bag", "Features").Fit(data));
    }
}
