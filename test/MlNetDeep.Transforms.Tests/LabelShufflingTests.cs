using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.TestUtilities;

namespace MlNetDeep.Transforms.Tests;

[TestClass]
public sealed class LabelShufflingTests
{
    [TestMethod]
    public void ShuffleLabels_KeepsHistogramAndFeaturesButMovesLabels()
    {
        var ml = new MLContext(seed: 1);
        var data = Data(ml, 100);

        var shuffled = ml.Data.ShuffleLabels(data, seed: 4);

        var before = Columns.Scalars<bool>(data, "Label");
        var after = Columns.Scalars<bool>(shuffled, "Label");
        Assert.AreEqual(before.Count(l => l), after.Count(l => l), "as many true labels");
        Assert.AreEqual(before.Length, after.Length);
        Assert.IsTrue(before.Zip(after).Count(p => p.First != p.Second) > 20, "many rows got another label");
        var features = Columns.Vectors(data, "Features");
        var shuffledFeatures = Columns.Vectors(shuffled, "Features");
        for (int i = 0; i < features.Length; i++)
            CollectionAssert.AreEqual(features[i], shuffledFeatures[i], $"row {i} features stay in place");
    }

    [TestMethod]
    public void ShuffleLabels_IsTheSeededFisherYatesPermutation()
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 10).Select(i => new NumberRow { Id = i, Label = i }).ToArray();

        var shuffled = Columns.Scalars<float>(ml.Data.ShuffleLabels(ml.Data.LoadFromEnumerable(rows), seed: 7), "Label");

        var expected = Enumerable.Range(0, 10).Select(i => (float)i).ToArray();
        var random = new Random(7);
        for (int i = expected.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (expected[i], expected[j]) = (expected[j], expected[i]);
        }
        CollectionAssert.AreEqual(expected, shuffled);
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 10).Select(i => (float)i).ToArray(), shuffled, "a permutation: every value once");
    }

    [TestMethod]
    public void ShuffleLabels_SameSeedSameLabelsInEveryCursor_OtherSeedOtherLabels()
    {
        var ml = new MLContext(seed: 1);
        var data = Data(ml, 60);

        var a = ml.Data.ShuffleLabels(data, seed: 1);
        var b = ml.Data.ShuffleLabels(data, seed: 1);
        var c = ml.Data.ShuffleLabels(data, seed: 2);

        CollectionAssert.AreEqual(Columns.Scalars<bool>(a, "Label"), Columns.Scalars<bool>(a, "Label"), "two passes over one view");
        CollectionAssert.AreEqual(Columns.Scalars<bool>(a, "Label"), Columns.Scalars<bool>(b, "Label"), "same seed");
        CollectionAssert.AreNotEqual(Columns.Scalars<bool>(a, "Label"), Columns.Scalars<bool>(c, "Label"), "another seed");
    }

    [TestMethod]
    public void ShuffleLabels_TextAndKeyLabels_KeepTheirTypeAndCounts()
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 30).Select(i => new TextRow { Class = "c" + (i % 3), Features = new[] { (float)i } }).ToArray();
        var keyed = ml.Transforms.Conversion.MapValueToKey("Key", "Class").Fit(ml.Data.LoadFromEnumerable(rows)).Transform(ml.Data.LoadFromEnumerable(rows));

        var text = ml.Data.ShuffleLabels(keyed, "Class", seed: 3);
        var key = ml.Data.ShuffleLabels(keyed, new ShuffleLabelsOptions { LabelColumnName = "Key", Seed = 3 });

        Assert.AreEqual(keyed.Schema["Key"].Type, key.Schema["Key"].Type);
        var texts = Columns.Scalars<ReadOnlyMemory<char>>(text, "Class").Select(m => m.ToString()).ToArray();
        Assert.AreEqual(10, texts.Count(t => t == "c0"));
        Assert.AreEqual(10, texts.Count(t => t == "c1"));
        var keys = Columns.Scalars<uint>(key, "Key");
        CollectionAssert.AreEquivalent(Columns.Scalars<uint>(keyed, "Key"), keys);
        // the same seed and row count give the same permutation, whatever the type
        var original = Columns.Scalars<uint>(keyed, "Key");
        var originalText = Columns.Scalars<ReadOnlyMemory<char>>(keyed, "Class").Select(m => m.ToString()).ToArray();
        for (int i = 0; i < keys.Length; i++)
            Assert.AreEqual(originalText[Array.IndexOf(original, keys[i])][1], texts[i][1]);
    }

    [TestMethod]
    public void CrossValidate_OnShuffledLabels_DropsToChanceWhileTrueLabelsAreLearned()
    {
        var ml = new MLContext(seed: 1);
        var data = Data(ml, 400);
        var pipeline = ml.Transforms.CopyColumns("Input", "Features")
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(featureColumnName: "Input"));

        var honest = ml.BinaryClassification.CrossValidate(data, pipeline, numberOfFolds: 4);
        var random = ml.BinaryClassification.CrossValidate(ml.Data.ShuffleLabels(data, seed: 5), pipeline, numberOfFolds: 4);

        Assert.IsTrue(honest.Average(f => f.Metrics.Accuracy) > 0.95, "true labels are learned");
        Assert.AreEqual(0.5, random.Average(f => f.Metrics.Accuracy), 0.1, "shuffled labels cannot be predicted on held-out rows");
    }

    [TestMethod]
    public void ShuffleLabels_VectorColumn_ThrowsNamingColumnAndTypes()
    {
        var ml = new MLContext(seed: 1);

        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.Data.ShuffleLabels(Data(ml, 3), "Features"));

        Assert.AreEqual("Schema mismatch for label column 'Features': expected a scalar, got Vector<Single, 2>. (Parameter 'inputSchema')", e.Message);
    }

    [TestMethod]
    public void ShuffleLabels_MissingColumn_ThrowsNamingIt()
    {
        var ml = new MLContext(seed: 1);

        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.Data.ShuffleLabels(Data(ml, 3), "Target"));

        Assert.AreEqual("Schema mismatch for label column 'Target': column not found; available columns: 'Features', 'Label'. (Parameter 'inputSchema')", e.Message);
    }

    [TestMethod]
    public void ShuffleLabels_EmptyColumnName_ThrowsListingTheOption()
    {
        var ml = new MLContext(seed: 1);

        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.Data.ShuffleLabels(Data(ml, 3), new ShuffleLabelsOptions { LabelColumnName = "" }));

        Assert.AreEqual("Invalid ShuffleLabelsOptions: 1 problem(s).\nInvalid value for LabelColumnName: expected a column name. Received: LabelColumnName=''. (Parameter 'options')", e.Message);
    }

    [TestMethod]
    public void Options_Defaults_AreTheDocumentedOnes()
    {
        var o = new ShuffleLabelsOptions();
        Assert.AreEqual("Label", o.LabelColumnName);
        Assert.AreEqual(0, o.Seed);
    }

    /// <summary>Separable rows: the label is the sign of feature 0.</summary>
    private static IDataView Data(MLContext ml, int count)
    {
        var random = new Random(11);
        var labels = Enumerable.Range(0, count).Select(_ => random.Next(2) == 1).ToArray();
        var features = labels.Select(l => new[] { (l ? 1f : -1f) + ((float)random.NextDouble() * 0.5f), (float)random.NextDouble() }).ToArray();
        return MutualInformationData.Build(ml, features, labels);
    }

    public sealed class NumberRow
    {
        public int Id { get; set; }

        public float Label { get; set; }
    }

    public sealed class TextRow
    {
        public string Class { get; set; } = "";

        [VectorType(1)]
        public float[] Features { get; set; } = Array.Empty<float>();
    }
}
