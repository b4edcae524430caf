using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlNetDeep.Network;
using MlNetDeep.TestUtilities;
using MlNetDeep.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetDeep.Trainers.Tests;

/// <summary>
/// A normalized network outside training: the managed scorer, ExportOnnx and a model loaded in another process all
/// give libtorch's eval-mode forward pass, and the stored record (format version 2) is checked like version 1.
/// </summary>
[TestClass]
public sealed class NormalizedNetworkScoringTests
{
    private static readonly NormalizationKind[] Kinds = { NormalizationKind.BatchNormalization, NormalizationKind.LayerNormalization };

    public TestContext TestContext { get; set; } = null!;

    private static string ModelPath(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "mlnetdeep-tests", "models");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, $"{name}-{Guid.NewGuid():N}.zip");
    }

    private static DenseNetworkOptions Options(NormalizationKind kind, Activation activation = Activation.Relu) => new()
    {
        HiddenLayerSizes = new[] { 12, 6 }, Normalization = kind, Activation = activation, Epochs = 3, BatchSize = 16, Seed = 2,
    };

    /// <summary>Features scaled by 3 and shifted by 2, so the moving statistics end far from their initial 0 and 1.</summary>
    private static float[] Shift(float[] x) => x.Select(v => (v * 3) + 2).ToArray();

    private static IDataView Binary(MLContext ml, int rows, int seed) =>
        ml.Data.LoadFromEnumerable(SyntheticData.Binary(rows, seed).Select(r => { r.Features = Shift(r.Features); return r; }).ToList());

    private static IDataView Regression(MLContext ml, int rows, int seed) =>
        ml.Data.LoadFromEnumerable(SyntheticData.Regression(rows, seed).Select(r => { r.Features = Shift(r.Features); return r; }).ToList());

    private static IDataView Multiclass(MLContext ml, int rows, int seed)
    {
        var data = ml.Data.LoadFromEnumerable(SyntheticData.Multiclass(rows, seed).Select(r => { r.Features = Shift(r.Features); return r; }).ToList());
        return ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
    }

    private static IEnumerable<(NormalizationKind Kind, DenseNetworkTransformer Model, IDataView Test)> Trained(MLContext ml, Activation activation = Activation.Relu)
    {
        foreach (var kind in Kinds)
        {
            var options = Options(kind, activation);
            yield return (kind, ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(Binary(ml, 100, 1)), Binary(ml, 40, 7));
            yield return (kind, ml.MulticlassClassification.Trainers.DenseNetwork(options).Fit(Multiclass(ml, 100, 1)), Multiclass(ml, 40, 7));
            yield return (kind, ml.Regression.Trainers.DenseNetwork(options).Fit(Regression(ml, 100, 1)), Regression(ml, 40, 7));
        }
    }

    [TestMethod]
    public void ExportOnnx_BothNormalizations_EqualLibTorchEvalForwardWithin1e5()
    {
        var ml = new MLContext(1);
        var random = new Random(3);
        var input = Enumerable.Range(0, 50 * 4).Select(_ => (float)((random.NextDouble() * 12) - 4)).ToArray();
        foreach (var (kind, model, _) in Trained(ml))
        {
            using var stream = new MemoryStream();
            model.ExportOnnx(stream);
            using var session = new InferenceSession(stream.ToArray());
            using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("features", new DenseTensor<float>(input, new[] { 50, 4 })) });
            var onnx = results.First(r => r.Name is "logits" or "prediction").AsEnumerable<float>().ToArray();

            var expected = NetworkOutputs.LibTorchLogits(model.Model, input);

            if (kind == NormalizationKind.BatchNormalization)
                Assert.IsTrue(model.Model.Layers[0].Normalization!.MovingMean.ToArray().Any(m => Math.Abs(m) > 0.1f), "the moving statistics moved, so the test can tell them from batch statistics");
            Assert.HasCount(expected.Length, onnx);
            double worst = expected.Select((e, i) => Math.Abs(e - onnx[i])).Max();
            TestContext.WriteLine($"{kind} {model.Model.Task}: max |ONNX − libtorch| = {worst:G3} (outputs up to {expected.Max(Math.Abs):G3})");
            Assert.IsLessThanOrEqualTo(1e-5, worst, $"{kind} {model.Model.Task}");
        }
    }

    [TestMethod]
    public void ManagedScores_BothNormalizations_MatchLibTorchEvalForward()
    {
        var ml = new MLContext(1);
        foreach (var activation in new[] { Activation.Relu, Activation.Tanh })
        {
            foreach (var (kind, model, data) in Trained(ml, activation))
            {
                var want = NetworkOutputs.LibTorchScores(model.Model, Columns.Vectors(data, "Features"));
                var got = NetworkOutputs.Scored(model, data);

                Assert.HasCount(want.Length, got);
                double worst = want.Select((w, i) => Math.Abs(w - got[i])).Max();
                TestContext.WriteLine($"{kind} {activation} {model.Model.Task}: max |managed − libtorch| = {worst:G3}");
                for (int i = 0; i < want.Length; i++)
                    Assert.AreEqual(want[i], got[i], 2e-6f + 1e-5f * Math.Abs(want[i]), $"{kind} {activation} {model.Model.Task} value {i}");
            }
        }
    }

    [TestMethod]
    public void SaveLoad_BothNormalizations_SeparateProcessGivesBitIdenticalScores()
    {
        var ml = new MLContext(1);
        var binary = Binary(ml, 200, 1);
        var batchModel = ml.BinaryClassification.Trainers.DenseNetwork(Options(NormalizationKind.BatchNormalization)).Fit(binary);
        var batchPath = ModelPath("batch-norm");
        ml.Model.Save(batchModel, binary.Schema, batchPath);

        var rows = ml.Data.LoadFromEnumerable(SyntheticData.Multiclass(200, seed: 1).Select(r => { r.Features = Shift(r.Features); return r; }).ToList());
        var layerModel = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.DenseNetwork(Options(NormalizationKind.LayerNormalization)))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabelValue", "PredictedLabel"))
            .Fit(rows);
        var layerPath = ModelPath("layer-norm");
        ml.Model.Save(layerModel, rows.Schema, layerPath);

        var batchLoaded = SeparateProcess.TransformWithLoadedModel(ml, batchPath, binary, out var loaderOutput);
        var layerLoaded = SeparateProcess.TransformWithLoadedModel(ml, layerPath, rows, out _);

        Assert.AreEqual("no-torchsharp-no-onnxruntime", loaderOutput, "a normalized model needs ML.NET and MlNetDeep.Core only");
        var batchHere = batchModel.Transform(binary);
        foreach (var column in new[] { "Score", "Probability" })
            Assert.IsTrue(Columns.BitEqual(Columns.Scalars<float>(batchHere, column), Columns.Scalars<float>(batchLoaded, column)), $"BatchNormalization {column}");
        var a = Columns.Vectors(layerModel.Transform(rows), "Score");
        var b = Columns.Vectors(layerLoaded, "Score");
        Assert.HasCount(a.Length, b);
        for (int i = 0; i < a.Length; i++)
            Assert.IsTrue(Columns.BitEqual(a[i], b[i]), $"LayerNormalization row {i}");
    }

    [TestMethod]
    public void FromTransformer_LoadedZip_RecoversTheNormalization()
    {
        var ml = new MLContext(1);
        var data = Binary(ml, 100, 1);
        foreach (var kind in Kinds)
        {
            var model = ml.BinaryClassification.Trainers.DenseNetwork(Options(kind)).Fit(data);
            using var stream = new MemoryStream();
            ml.Model.Save(model, data.Schema, stream);
            stream.Position = 0;

            var trained = model.Model;
            var recovered = DenseNetworkModel.FromTransformer(new MLContext().Model.Load(stream, out _));

            Assert.AreEqual(kind, trained.Normalization);
            Assert.AreEqual(kind, recovered.Normalization);
            Assert.AreEqual($"Dense network 4 → [12, 6] → 1 (Relu, {kind}, {(4 * 12) + 12 + (12 * 6) + 6 + 7 + (2 * (12 + 6))} parameters)", recovered.ToString(),
                "gamma and beta count as trainable parameters, moving statistics do not (Keras)");
            Assert.IsNull(recovered.Layers[^1].Normalization, "the output layer is not normalized");
            for (int i = 0; i < 2; i++)
            {
                var a = trained.Layers[i].Normalization!;
                var b = recovered.Layers[i].Normalization!;
                Assert.AreEqual(kind, b.Kind);
                Assert.AreEqual(1e-3, b.Epsilon, "Keras' epsilon");
                Assert.AreEqual(trained.Layers[i].OutputSize, b.Size);
                CollectionAssert.AreEqual(a.Gamma.ToArray(), b.Gamma.ToArray());
                CollectionAssert.AreEqual(a.Beta.ToArray(), b.Beta.ToArray());
                CollectionAssert.AreEqual(a.MovingMean.ToArray(), b.MovingMean.ToArray());
                CollectionAssert.AreEqual(a.MovingVariance.ToArray(), b.MovingVariance.ToArray());
                Assert.AreEqual(kind == NormalizationKind.BatchNormalization ? b.Size : 0, b.MovingVariance.Length);
            }
            using var x = new MemoryStream();
            using var y = new MemoryStream();
            trained.ExportOnnx(x);
            recovered.ExportOnnx(y);
            CollectionAssert.AreEqual(x.ToArray(), y.ToArray());
        }
    }

    [TestMethod]
    public void StoredNetwork_Version2_AnyChangedByteIsReportedAsDamaged()
    {
        var normalized = new NetworkDefinition(NetworkTask.Binary, Activation.Relu,
            new[]
            {
                new DenseLayer(2, 2, new float[] { 1, 2, 3, 4 }, new float[] { 0.5f, -0.5f },
                    new NormalizationWeights(NormalizationKind.BatchNormalization, 1e-3, new float[] { 1, 2 }, new float[] { 0, 1 }, new float[] { 3, 4 }, new float[] { 5, 6 })),
                new DenseLayer(2, 1, new float[] { 1, -1 }, new float[] { 0 }),
            },
            null, "Features", null);
        var plain = new NetworkDefinition(NetworkTask.Binary, Activation.Relu, new[] { new DenseLayer(2, 1, new float[] { 1, -1 }, new float[] { 0 }) }, null, "Features", null);
        var bytes = Convert.FromBase64String(NetworkFormat.Write(normalized));

        Assert.AreEqual(2, bytes[4], "a normalized network is format version 2");
        Assert.AreEqual(1, Convert.FromBase64String(NetworkFormat.Write(plain))[4], "a network without normalization stays version 1, which older MlNetDeep.Core reads");
        var read = NetworkFormat.Read(Convert.ToBase64String(bytes)).Layers[0].Normalization!;
        CollectionAssert.AreEqual(new float[] { 5, 6 }, read.MovingVariance.ToArray());
        CollectionAssert.AreEqual(new float[] { 0, 1 }, read.Beta.ToArray());
        for (int i = 0; i < bytes.Length; i++)
        {
            var copy = (byte[])bytes.Clone();
            copy[i] ^= 0x10;
            Assert.Throws<InvalidDataException>(() => NetworkFormat.Read(Convert.ToBase64String(copy)), $"byte {i}");
        }
        var future = (byte[])bytes.Clone();
        future[4] = 3;
        StringAssert.Contains(Assert.Throws<InvalidDataException>(() => NetworkFormat.Read(Convert.ToBase64String(future))).Message, "format version 3; this MlNetDeep reads versions 1 to 2");
    }

    [TestMethod]
    public void FirstReleaseZip_StillLoads_WithItsOwnScores()
    {
        // saved by commit e587cac (format version 1: 4 → 3 tanh → 1, seed 3); scores it gave to SyntheticData.Binary(5, seed: 11)
        uint[] expected = { 0xBE4E3090, 0xBE09F740, 0x3E28A884, 0xBDE6D270, 0x3CA11800 };
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "first-release-binary.zip");
        var ml = new MLContext(1);

        var loaded = ml.Model.Load(path, out _);
        var engine = ml.Model.CreatePredictionEngine<BinaryRow, BinaryPrediction>(loaded);
        var scores = SyntheticData.Binary(5, seed: 11).Select(r => (uint)BitConverter.SingleToInt32Bits(engine.Predict(r).Score)).ToArray();
        var network = DenseNetworkModel.FromTransformer(loaded);

        CollectionAssert.AreEqual(expected, scores);
        Assert.AreEqual(NormalizationKind.None, network.Normalization);
        Assert.IsTrue(network.Layers.All(l => l.Normalization is null));
    }
}
