using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Network;

namespace MlNetDeep.Trainers.Tests;

/// <summary>
/// A fitted model's Transform shares each block's forward pass with a helper thread (<see cref="SharedBlockForward"/>):
/// on real Fashion-MNIST rows and a trained 784-512-10 network, every block size from 1 to 256 rows gives the bits
/// of the one-thread pass, a Transform with the helper gives the bits of one without it and of the saved-and-loaded
/// chain (partial last block included), and two threads transforming with the same model at once both get them too.
/// </summary>
[TestClass]
public sealed class SharedBlockScoringTests
{
    private const string Images = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";
    private const string Labels = "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz";

    private static (DenseNetworkTransformer Model, IDataView Data, float[] Features, int Rows)? s_lecture;

    public sealed class ImageRow
    {
        [VectorType(784)]
        public float[] Features { get; set; } = Array.Empty<float>();

        public uint Label { get; set; }
    }

    /// <summary>The lecture's network (784-512-10, RMSprop, batch 128), one epoch on 2,000 test images, and 1,061 more images to score.</summary>
    private static (DenseNetworkTransformer Model, IDataView Data, float[] Features, int Rows) Lecture()
    {
        if (s_lecture is { } held)
            return held;
        if (!File.Exists(Images) || !File.Exists(Labels))
        {
            if (Environment.GetEnvironmentVariable("CI") == "true")
                Assert.Fail($"Fashion-MNIST is not installed ({Images}); build/setup.sh installs it.");
            Assert.Inconclusive($"Fashion-MNIST is not installed here ({Images}); build/setup.sh installs it.");
        }
        var pixels = Read(Images, 16);
        var labels = Read(Labels, 8);
        const int train = 2000, scored = (4 * 256) + 37;
        var rows = Enumerable.Range(0, train + scored).Select(r => new ImageRow
        {
            Features = pixels.AsSpan(r * 784, 784).ToArray().Select(p => p / 255f).ToArray(),
            Label = labels[r],
        }).ToArray();
        var ml = new MLContext(1);
        var options = new DenseNetworkOptions { HiddenLayerSizes = new[] { 512 }, BatchSize = 128, Epochs = 1, Seed = 1 };
        var toKey = ml.Transforms.Conversion.MapValueToKey("Label").Fit(ml.Data.LoadFromEnumerable(rows.Take(train)));
        var model = ml.MulticlassClassification.Trainers.DenseNetwork(options).Fit(toKey.Transform(ml.Data.LoadFromEnumerable(rows.Take(train))));
        var data = toKey.Transform(ml.Data.LoadFromEnumerable(rows.Skip(train)));
        var features = rows.Skip(train).SelectMany(r => r.Features).ToArray();
        s_lecture = (model, data, features, scored);
        return s_lecture.Value;

        static byte[] Read(string path, int header)
        {
            using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
            using var bytes = new MemoryStream();
            gzip.CopyTo(bytes);
            return bytes.ToArray()[header..];
        }
    }

    private static string Bits(ReadOnlySpan<float> values) =>
        string.Join(",", values.ToArray().Select(v => BitConverter.SingleToInt32Bits(v).ToString("X8", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Score bits and predicted label of every row.</summary>
    private static List<string> Scores(IDataView scored)
    {
        var score = scored.Schema["Score"];
        var label = scored.Schema["PredictedLabel"];
        var result = new List<string>();
        using var cursor = scored.GetRowCursor(new[] { score, label });
        var scores = cursor.GetGetter<VBuffer<float>>(score);
        var labels = cursor.GetGetter<uint>(label);
        VBuffer<float> s = default;
        uint l = 0;
        while (cursor.MoveNext())
        {
            scores(ref s);
            labels(ref l);
            result.Add($"{Bits(s.DenseValues().ToArray())} -> {l}");
        }
        return result;
    }

    [TestMethod]
    public void Forward_EveryBlockSizeUpTo256_SharedGivesTheOneThreadBits()
    {
        var (model, _, features, _) = Lecture();
        var network = new ScoringNetwork(model.Model.ToDefinition("Features"));
        var shared = new SharedBlockForward(network, shared: true); // one instance for every size: its state is reused across blocks
        var block = new float[256 * 784];
        var expected = new float[256 * 10];
        var actual = new float[256 * 10];
        for (int pass = 0; pass < 5 && (pass == 0 || shared.HelperChunks == 0); pass++)
        {
            for (int rows = 1; rows <= 256; rows++)
            {
                int first = ((rows * 3) + pass) % ((features.Length / 784) - 256);
                features.AsSpan(first * 784, rows * 784).CopyTo(block);
                network.ForwardBlock(block, rows, expected);
                Array.Fill(actual, float.NaN);
                shared.Forward(block, rows, actual);
                Assert.AreEqual(Bits(expected.AsSpan(0, rows * 10)), Bits(actual.AsSpan(0, rows * 10)), $"block of {rows} rows starting at image {first}");
            }
        }
        if (shared.HelperChunks == 0)
            Assert.Inconclusive("The helper never finished a chunk in five passes (a very busy machine): only the caller's own path was checked.");
    }

    [TestMethod]
    public void Transform_SharedBlocks_SameBitsAsOneThreadAndAsTheLoadedChain()
    {
        var (model, data, _, rows) = Lecture();
        var network = new ScoringNetwork(model.Model.ToDefinition("Features"));
        var oneThread = Scores(BlockScoringView.Create(model.Inner.Transform(data), network, "Features", shareBlocks: false));
        var shared = Scores(BlockScoringView.Create(model.Inner.Transform(data), network, "Features", shareBlocks: true));
        var ml = new MLContext(1);
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var loaded = Scores(new MLContext(2).Model.Load(stream, out _).Transform(data));

        Assert.HasCount(rows, oneThread);
        CollectionAssert.AreEqual(oneThread, shared, "blocks shared with a helper against blocks on one thread");
        CollectionAssert.AreEqual(loaded, shared, "blocks shared with a helper against the saved and loaded chain, row by row");
        Assert.IsGreaterThan(1, shared.Distinct().Count(), "the rows get different scores");
    }

    [TestMethod]
    public void Transform_TwoThreadsOnOneModel_BothGetTheOneThreadBits()
    {
        var (model, data, _, _) = Lecture();
        var network = new ScoringNetwork(model.Model.ToDefinition("Features"));
        var expected = Scores(BlockScoringView.Create(model.Inner.Transform(data), network, "Features", shareBlocks: false));
        using var start = new Barrier(2);
        var threads = Enumerable.Range(0, 2).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            return Enumerable.Range(0, 3).Select(_ => Scores(model.Transform(data))).ToArray();
        }, TaskCreationOptions.LongRunning)).ToArray();
        Task.WaitAll(threads);
        var results = threads.Select(t => t.Result).ToArray();

        for (int t = 0; t < 2; t++)
        {
            for (int run = 0; run < 3; run++)
                CollectionAssert.AreEqual(expected, results[t][run], $"thread {t}, run {run}");
        }
    }

    [TestMethod]
    public void ModeChoice_UsesTheFasterModeAndTriesTheOtherEverySixteenthBlock()
    {
        var modes = default(SharedBlockForward.ModeChoice);
        Assert.IsTrue(modes.ShareNext(), "block 1: shared, no average yet");
        modes.Record(shared: true, 10);
        Assert.IsFalse(modes.ShareNext(), "block 2: alone, the second average");
        modes.Record(shared: false, 20);
        var choices = Enumerable.Range(3, 30).Select(b => (Block: b, Shared: modes.ShareNext())).ToArray();
        CollectionAssert.AreEqual(new[] { 16, 32 }, choices.Where(c => !c.Shared).Select(c => c.Block).ToArray(), "shared is faster: alone only on blocks 16 and 32");

        // the helper now slows blocks down (a busy machine): the shared average rises past the one-thread one
        for (int i = 0; i < 4; i++)
            modes.Record(shared: true, 40);
        var later = Enumerable.Range(33, 16).Select(b => (Block: b, Shared: modes.ShareNext())).ToArray();
        CollectionAssert.AreEqual(new[] { 48 }, later.Where(c => c.Shared).Select(c => c.Block).ToArray(), "alone is faster now: shared only on block 48");
    }
}
