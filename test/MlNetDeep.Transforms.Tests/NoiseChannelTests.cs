using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.NoiseChannels;
using MlNetDeep.TestUtilities;

namespace MlNetDeep.Transforms.Tests;

[TestClass]
public sealed class NoiseChannelTests
{
    [TestMethod]
    public void Transform_SameRowInTwoCursorsAndAfterShuffle_GetsTheSameNoise()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Vectors(ml, Rows(50, 4));
        var model = ml.Transforms.AppendNoiseChannels("Noisy", "Features", numberOfChannels: 6, seed: 3).Fit(data);
        var transformed = model.Transform(data);

        var first = Columns.Vectors(transformed, "Noisy");
        var second = Columns.Vectors(transformed, "Noisy");
        var shuffled = Columns.Vectors(model.Transform(ml.Data.ShuffleRows(data, seed: 5)), "Noisy");

        for (int i = 0; i < first.Length; i++)
            Assert.IsTrue(Columns.BitEqual(first[i], second[i]), $"row {i} differs between two passes");
        // identify each shuffled row by its input values (slot 0 is the row index)
        foreach (var row in shuffled)
            Assert.IsTrue(Columns.BitEqual(first[(int)row[0]], row), $"row {row[0]} changed its noise after a shuffle");
    }

    [TestMethod]
    public void Transform_DifferentRowsAndSeeds_GetDifferentNoise()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Vectors(ml, Rows(200, 2));

        var seed3 = Columns.Vectors(ml.Transforms.AppendNoiseChannels("Noisy", "Features", 4, seed: 3).Fit(data).Transform(data), "Noisy");
        var seed4 = Columns.Vectors(ml.Transforms.AppendNoiseChannels("Noisy", "Features", 4, seed: 4).Fit(data).Transform(data), "Noisy");

        var distinctNoise = seed3.Select(r => string.Join(",", r.Skip(2))).Distinct().Count();
        Assert.AreEqual(200, distinctNoise, "every row has its own noise");
        Assert.IsTrue(seed3.Zip(seed4).All(p => !p.First.Skip(2).SequenceEqual(p.Second.Skip(2))), "another seed gives other noise");
        var values = seed3.SelectMany(r => r.Skip(2)).ToArray();
        Assert.IsTrue(values.All(v => v >= 0f && v < 1f), "uniform values lie in [0, 1)");
        Assert.AreEqual(0.5, values.Average(), 0.05, "800 uniform values average about 1/2 (σ of the mean ≈ 0.01)");
    }

    [TestMethod]
    public void Transform_NoiseChannels_CarryNoInformationAboutTheLabel()
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(2);
        var labels = Enumerable.Range(0, 2000).Select(_ => random.Next(2) == 1).ToArray();
        var features = labels.Select((l, i) => new[] { l ? 1f : 0f, i }).ToArray();
        var noisy = ml.Transforms.AppendNoiseChannels("Noisy", "Features", 10, seed: 1)
            .Fit(MutualInformationData.Build(ml, features, labels));

        var mi = ml.Transforms.FeatureSelection.SelectByMutualInformation(new MutualInformationSelectionOptions
        {
            OutputColumnName = "Selected", InputColumnName = "Noisy", NumberOfBins = 8, SlotsInOutput = 1,
        }).Fit(noisy.Transform(MutualInformationData.Build(ml, features, labels)));

        Assert.AreEqual(Math.Log(2), mi.Scores[0], 0.01, "slot 0 is the label");
        // the bias-corrected estimate of zero information is ≈ 0 (the plug-in one would be ≈ (8-1)(2-1)/(2·2000) = 0.00175 nats)
        foreach (var j in Enumerable.Range(noisy.NoiseChannelRange.Start, noisy.NoiseChannelRange.Count))
            Assert.IsTrue(Math.Abs(mi.Scores[j]) < 0.005, $"noise channel {j} scores {mi.Scores[j]} nats");
    }

    [TestMethod]
    public void Fit_SlotNamesAndRange_NameInputSlotsThenNoiseChannels()
    {
        var ml = new MLContext(seed: 1);
        var named = TestData.Vectors(ml, Rows(3, 2), slotNames: new[] { "x", "y" });
        var unnamed = TestData.Vectors(ml, Rows(3, 2));

        var withNames = ml.Transforms.AppendNoiseChannels("Noisy", "Features", 3).Fit(named);
        var withoutNames = ml.Transforms.AppendNoiseChannels("Noisy", "Features", 3).Fit(unnamed);

        CollectionAssert.AreEqual(new[] { "x", "y", "noise0", "noise1", "noise2" }, TestData.SlotNames(withNames.Transform(named).Schema["Noisy"]));
        CollectionAssert.AreEqual(new[] { "f0", "f1", "noise0", "noise1", "noise2" }, TestData.SlotNames(withoutNames.Transform(unnamed).Schema["Noisy"]));
        CollectionAssert.AreEqual(new[] { "f0", "f1", "noise0", "noise1", "noise2" }, withoutNames.SlotNames.ToArray());
        Assert.AreEqual(new SlotRange(2, 3), withNames.NoiseChannelRange);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 5), withNames.GetOutputSchema(named.Schema)["Noisy"].Type);
    }

    [TestMethod]
    public void Fit_DuplicateAndEmptyInputSlotNames_AreKept()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Vectors(ml, Rows(3, 3), slotNames: new[] { "x", "x", "" });

        var output = ml.Transforms.AppendNoiseChannels("Noisy", "Features", 1).Fit(data).Transform(data);

        CollectionAssert.AreEqual(new[] { "x", "x", "", "noise0" }, TestData.SlotNames(output.Schema["Noisy"]));
        Assert.AreEqual(3, Columns.Vectors(output, "Noisy").Length);
    }

    [TestMethod]
    public void Transform_NaNAndInfinityInput_PassThroughAndGetFiniteNoise()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Vectors(ml, new[] { new[] { float.NaN, 1f }, new[] { float.PositiveInfinity, 1f }, new[] { 0f, 1f } });

        var rows = Columns.Vectors(ml.Transforms.AppendNoiseChannels("Noisy", "Features", 3, NoiseKind.Gaussian).Fit(data).Transform(data), "Noisy");

        Assert.IsTrue(float.IsNaN(rows[0][0]));
        Assert.AreEqual(float.PositiveInfinity, rows[1][0]);
        Assert.IsTrue(rows.All(r => r.Skip(2).All(float.IsFinite)));
        Assert.IsFalse(rows[0].Skip(2).SequenceEqual(rows[1].Skip(2)), "different rows, different noise");
    }

    [TestMethod]
    public void Fit_InPlace_ReplacesTheInputColumn()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Vectors(ml, Rows(2, 2));

        var output = ml.Transforms.AppendNoiseChannels("Features", numberOfChannels: 2, kind: NoiseKind.Zeros).Fit(data).Transform(data);

        CollectionAssert.AreEqual(new[] { 1f, 3f, 0f, 0f }, Columns.Vectors(output, "Features")[1]);
        Assert.IsNull(output.Schema.GetColumnOrNull(RowFingerprint.InputColumn), "the internal copy is dropped");
    }

    [TestMethod]
    public void Options_Defaults_AreTheDocumentedOnes()
    {
        var o = new NoiseChannelOptions();
        Assert.AreEqual("Features", o.OutputColumnName);
        Assert.IsNull(o.InputColumnName);
        Assert.AreEqual(784, o.NumberOfChannels);
        Assert.AreEqual(NoiseKind.Uniform, o.Kind);
        Assert.AreEqual(0, o.Seed);
    }

    [TestMethod]
    public void Constructor_InvalidOptions_OneExceptionListsEveryProblem()
    {
        var ml = new MLContext(seed: 1);

        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.AppendNoiseChannels(" ", numberOfChannels: 0, kind: (NoiseKind)7));

        Assert.AreEqual(
            "Invalid NoiseChannelOptions: 3 problem(s).\n" +
            "Invalid value for OutputColumnName: expected a column name. Received: OutputColumnName=' '.\n" +
            "Invalid value for NumberOfChannels: expected 1 to 1000000. Received: NumberOfChannels=0.\n" +
            "Invalid value for Kind: expected Uniform, Gaussian or Zeros. Received: Kind=7. (Parameter 'options')",
            e.Message);
    }

    [TestMethod]
    public void ChainFit_ScalarInput_SchemaErrorNamesColumnExpectedAndReceivedTypes()
    {
        var ml = new MLContext(seed: 1);
        var data = MutualInformationData.Build(ml, Rows(3, 2), new[] { true, false, true });
        var chain = ml.Transforms.CopyColumns("Copy", "Label").Append(ml.Transforms.AppendNoiseChannels("Noisy", "Label"));

        var e = Assert.ThrowsExactly<ArgumentException>(() => chain.Fit(data));

        Assert.AreEqual("Schema mismatch for input column 'Label': expected a known-size vector of Single, got Boolean. (Parameter 'inputSchema')", e.Message);
    }

    [TestMethod]
    public void Fit_OutputAbove2To24Slots_ThrowsNamingTheColumnAndSizes()
    {
        // slot indices travel as Single in the saved expression: exact up to 2^24
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Array.Empty<TestData.VectorRow>(), TestData.VectorDefinition("Features", 16_777_000));

        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.AppendNoiseChannels("Noisy", "Features", numberOfChannels: 217).Fit(data));

        Assert.AreEqual("Column 'Features' has 16777000 slots: with 217 channels the output would have 16777217; at most 16777216 are supported. (Parameter 'input')", e.Message);
    }

    [TestMethod]
    public void Fit_InEstimatorChainAndCrossValidate_Trains()
    {
        var ml = new MLContext(seed: 1);
        var labels = Enumerable.Range(0, 120).Select(i => i % 2 == 0).ToArray();
        var data = MutualInformationData.Build(ml, labels.Select((l, i) => new[] { l ? 2f : -2f, i % 7 }).ToArray(), labels);
        var pipeline = ml.Transforms.AppendNoiseChannels("Noisy", "Features", 8, seed: 2)
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(featureColumnName: "Noisy"));

        var folds = ml.BinaryClassification.CrossValidate(data, pipeline, numberOfFolds: 3);

        Assert.AreEqual(3, folds.Count);
        Assert.IsTrue(folds.All(f => f.Metrics.Accuracy > 0.95), string.Join(", ", folds.Select(f => f.Metrics.Accuracy)));
    }

    [TestMethod]
    [DataRow(NoiseKind.Uniform)]
    [DataRow(NoiseKind.Gaussian)]
    [DataRow(NoiseKind.Zeros)]
    public void SaveLoad_InSeparateProcess_AppendsIdenticalNoise(NoiseKind kind)
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Vectors(ml, Rows(30, 3), slotNames: new[] { "a", "b", "c" });
        var model = ml.Transforms.AppendNoiseChannels("Noisy", "Features", 4, kind, seed: 5).Fit(data);
        var path = TestData.TempPath(".zip");
        ml.Model.Save(model, data.Schema, path);

        var loaded = SeparateProcess.TransformWithLoadedModel(ml, path, data, out var loaderOutput);

        Assert.AreEqual("no-torchsharp-no-onnxruntime", loaderOutput);
        var expected = Columns.Vectors(model.Transform(data), "Noisy");
        var actual = Columns.Vectors(loaded, "Noisy");
        Assert.AreEqual(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.IsTrue(Columns.BitEqual(expected[i], actual[i]), $"row {i}");
        CollectionAssert.AreEqual(new[] { "a", "b", "c", "noise0", "noise1", "noise2", "noise3" }, TestData.SlotNames(loaded.Schema["Noisy"]));
    }

    /// <summary>Rows whose slot 0 is the row index and whose other slots vary.</summary>
    internal static float[][] Rows(int count, int size)
        => Enumerable.Range(0, count).Select(i => Enumerable.Range(0, size).Select(j => j == 0 ? i : (float)((i * 7) + j) % 5).ToArray()).ToArray();
}
