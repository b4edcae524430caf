using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.State;
using MlNetDeep.TestUtilities;

namespace MlNetDeep.Transforms.Tests;

/// <summary>
/// The ways users hold a noise-channel model: prediction engines created and disposed, one engine per thread,
/// save and load, and what the model leaves behind on disk.
/// </summary>
[TestClass]
public sealed class NoiseChannelTrustTests
{
    private const int Size = 6;
    private const int Channels = 5;

    [TestMethod]
    [DataRow(NoiseKind.Uniform, false)]
    [DataRow(NoiseKind.Uniform, true)]
    [DataRow(NoiseKind.Gaussian, false)]
    [DataRow(NoiseKind.Gaussian, true)]
    [DataRow(NoiseKind.Zeros, false)]
    [DataRow(NoiseKind.Zeros, true)]
    public void PredictionEngine_CreatedAndDisposedTwice_LeavesTheModelWorking(NoiseKind kind, bool loaded)
    {
        var ml = new MLContext(seed: 1);
        var rows = Rows(30);
        var data = TestData.Vectors(ml, rows);
        ITransformer model = ml.Transforms.AppendNoiseChannels("Noisy", "Features", Channels, kind, seed: 4).Fit(data);
        var expected = Columns.Vectors(model.Transform(data), "Noisy");
        if (loaded)
            model = SaveAndLoad(model, data.Schema);

        for (int round = 0; round < 2; round++)
        {
            using var engine = ml.Model.CreatePredictionEngine<TestData.VectorRow, NoisyRow>(model, inputSchemaDefinition: TestData.VectorDefinition("Features", Size));
            for (int i = 0; i < rows.Length; i++)
                Assert.IsTrue(Columns.BitEqual(expected[i], engine.Predict(new TestData.VectorRow { Features = rows[i] }).Noisy), $"round {round}, row {i}");
        }

        var after = Columns.Vectors(model.Transform(data), "Noisy");
        for (int i = 0; i < rows.Length; i++)
            Assert.IsTrue(Columns.BitEqual(expected[i], after[i]), $"Transform after two disposed engines, row {i}");
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void PredictionEngine_OnePerThreadOnFourThreads_GivesTheSequentialValues(bool loaded)
    {
        var ml = new MLContext(seed: 1);
        var rows = Rows(200);
        var data = TestData.Vectors(ml, rows);
        ITransformer model = ml.Transforms.AppendNoiseChannels("Noisy", "Features", Channels, NoiseKind.Gaussian, seed: 8).Fit(data);
        if (loaded)
            model = SaveAndLoad(model, data.Schema);
        var expected = Columns.Vectors(model.Transform(data), "Noisy");
        const int threads = 4, passes = 5;
        var results = new float[threads][][];
        using var start = new Barrier(threads);

        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            using var engine = ml.Model.CreatePredictionEngine<TestData.VectorRow, NoisyRow>(model, inputSchemaDefinition: TestData.VectorDefinition("Features", Size));
            var mine = new float[rows.Length][];
            start.SignalAndWait();
            for (int pass = 0; pass < passes; pass++)
            {
                // each thread walks the rows from its own offset, so the threads score different rows at the same time
                for (int k = 0; k < rows.Length; k++)
                {
                    int i = (k + (t * 50)) % rows.Length;
                    mine[i] = engine.Predict(new TestData.VectorRow { Features = rows[i] }).Noisy;
                }
            }
            results[t] = mine;
        })).ToArray();
        foreach (var w in workers)
            w.Start();
        foreach (var w in workers)
            w.Join();

        for (int t = 0; t < threads; t++)
        {
            for (int i = 0; i < rows.Length; i++)
                Assert.IsTrue(Columns.BitEqual(expected[i], results[t][i]), $"thread {t}, row {i}");
        }
    }

    [TestMethod]
    [DoNotParallelize]
    public void FitSaveLoadPredict_LeaveNothingInTheTempFolder()
    {
        var left = TempFolder.EntriesLeftBy(() =>
        {
            foreach (var kind in new[] { NoiseKind.Uniform, NoiseKind.Gaussian, NoiseKind.Zeros })
            {
                var ml = new MLContext(seed: 1);
                var data = TestData.Vectors(ml, Rows(20));
                var model = ml.Transforms.AppendNoiseChannels("Noisy", "Features", Channels, kind, seed: 2).Fit(data);
                Columns.Vectors(model.Transform(data), "Noisy");
                var loaded = SaveAndLoad(model, data.Schema);
                Columns.Vectors(loaded.Transform(data), "Noisy");
                using var engine = ml.Model.CreatePredictionEngine<TestData.VectorRow, NoisyRow>(loaded, inputSchemaDefinition: TestData.VectorDefinition("Features", Size));
                engine.Predict(new TestData.VectorRow { Features = new float[Size] });
            }
        });

        Assert.AreEqual(0, left.Count, "left in the temp folder: " + string.Join(", ", left));
    }

    [TestMethod]
    [DoNotParallelize]
    public void TempFolderWatch_FileLeftByTheAction_IsReported()
    {
        // the check above is only as good as the helper: a file written the way OnnxTransformer wrote its model is found
        var left = TempFolder.EntriesLeftBy(() => File.WriteAllBytes(Path.GetTempFileName(), new byte[] { 1 }));

        Assert.AreEqual(1, left.Count);
    }

    [TestMethod]
    [DataRow(NoiseKind.Uniform)]
    [DataRow(NoiseKind.Gaussian)]
    [DataRow(NoiseKind.Zeros)]
    public void SaveLoad_InAFreshContext_GivesBitIdenticalValuesSizeAndSlotNames(NoiseKind kind)
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Vectors(ml, Rows(40), slotNames: new[] { "a", "b", "c", "d", "e", "f" });
        var model = ml.Transforms.AppendNoiseChannels("Noisy", "Features", Channels, kind, seed: 6).Fit(data);

        var loaded = SaveAndLoad(model, data.Schema).Transform(data);

        var expected = Columns.Vectors(model.Transform(data), "Noisy");
        var actual = Columns.Vectors(loaded, "Noisy");
        Assert.AreEqual(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.IsTrue(Columns.BitEqual(expected[i], actual[i]), $"row {i}");
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, Size + Channels), loaded.Schema["Noisy"].Type);
        CollectionAssert.AreEqual(new[] { "a", "b", "c", "d", "e", "f", "noise0", "noise1", "noise2", "noise3", "noise4" }, TestData.SlotNames(loaded.Schema["Noisy"]));
        Assert.IsNull(loaded.Schema.GetColumnOrNull(StateLookup.KeyColumn), "temporary columns are dropped");
    }

    [TestMethod]
    [DataRow(NoiseKind.Uniform)]
    [DataRow(NoiseKind.Gaussian)]
    [DataRow(NoiseKind.Zeros)]
    public void SavedModel_IsStandardMlNetTransformersWithoutOnnx(NoiseKind kind)
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Vectors(ml, Rows(5));
        var model = ml.Transforms.AppendNoiseChannels("Noisy", "Features", Channels, kind).Fit(data);

        var saved = StateLookup.Flatten(SaveAndLoad(model, data.Schema)).Select(t => t.GetType().FullName!).ToArray();
        var inMemory = StateLookup.Flatten(model).Where(t => t is not ComposedTransformer).Select(t => t.GetType().FullName!).ToArray();

        CollectionAssert.AreEqual(inMemory, saved, "the loaded chain is the fitted one");
        Assert.IsTrue(saved.All(t => t.StartsWith("Microsoft.ML.", StringComparison.Ordinal)), string.Join(", ", saved));
        Assert.IsFalse(saved.Any(t => t.Contains("Onnx", StringComparison.OrdinalIgnoreCase)), string.Join(", ", saved));
    }

    private static ITransformer SaveAndLoad(ITransformer model, DataViewSchema schema)
    {
        using var stream = new MemoryStream();
        new MLContext(seed: 1).Model.Save(model, schema, stream);
        stream.Position = 0;
        return new MLContext().Model.Load(stream, out _);
    }

    /// <summary>Rows of <see cref="Size"/> values with slot 0 the row index, negative values and fractions.</summary>
    private static float[][] Rows(int count) =>
        Enumerable.Range(0, count).Select(i => Enumerable.Range(0, Size).Select(j => j == 0 ? i : ((i * 31) + (j * 17)) % 13 / 4f - 1.5f).ToArray()).ToArray();

    public sealed class NoisyRow
    {
        public float[] Noisy { get; set; } = Array.Empty<float>();
    }
}
