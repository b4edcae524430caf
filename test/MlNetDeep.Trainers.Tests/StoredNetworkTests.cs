using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Heads;
using MlNetDeep.Network;
using MlNetDeep.TestUtilities;
using MlNetDeep.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetDeep.Trainers.Tests;

/// <summary>
/// The network a saved model carries: recovered with FromTransformer from fitted and loaded models, checked by its
/// CRC, and scored by the managed forward pass exactly as libtorch scores it.
/// </summary>
[TestClass]
public sealed class StoredNetworkTests
{
    [TestMethod]
    public void FromTransformer_LoadedZip_RecoversWeightsClassNamesAndHistory()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.Multiclass(150, seed: 1));
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.DenseNetwork(new DenseNetworkOptions { HiddenLayerSizes = new[] { 6 }, Epochs = 3, ValidationFraction = 0.2, Seed = 1 }))
            .Fit(data);
        var trained = model.LastTransformer.Model;
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var loaded = new MLContext().Model.Load(stream, out _);

        var recovered = DenseNetworkModel.FromTransformer(loaded);

        Assert.AreSame(trained, DenseNetworkModel.FromTransformer(model), "a fitted pipeline hands back its own network");
        Assert.AreEqual(trained.ToString(), recovered.ToString());
        Assert.AreEqual(Activation.Relu, recovered.Activation);
        CollectionAssert.AreEqual(trained.ClassNames!.ToArray(), recovered.ClassNames!.ToArray());
        for (int i = 0; i < trained.Layers.Count; i++)
        {
            CollectionAssert.AreEqual(trained.Layers[i].Weights.ToArray(), recovered.Layers[i].Weights.ToArray(), $"layer {i} weights");
            CollectionAssert.AreEqual(trained.Layers[i].Bias.ToArray(), recovered.Layers[i].Bias.ToArray(), $"layer {i} bias");
        }
        Assert.IsNotNull(recovered.History);
        Assert.AreEqual(trained.History!.ToCsv(), recovered.History.ToCsv());
        Assert.AreEqual(trained.History.ToString(), recovered.History.ToString());
        Assert.IsTrue(recovered.History.All(e => e.ValidationLoss is not null));

        // the recovered network exports like the trained one
        using var a = new MemoryStream();
        using var b = new MemoryStream();
        trained.ExportOnnx(a);
        recovered.ExportOnnx(b);
        CollectionAssert.AreEqual(a.ToArray(), b.ToArray());
    }

    [TestMethod]
    public void FromTransformer_ModelWithoutANetwork_SaysSo()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.BinaryView(ml, 50, seed: 1);
        var sdca = ml.Transforms.NormalizeMinMax("Features").Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression()).Fit(data);

        var error = Assert.Throws<ArgumentException>(() => DenseNetworkModel.FromTransformer(sdca));

        StringAssert.Contains(error.Message, "holds no MlNetDeep dense network");
    }

    [TestMethod]
    public void StoredNetwork_AnyChangedByte_IsReportedAsDamaged()
    {
        var network = new NetworkDefinition(NetworkTask.Binary, Activation.Tanh,
            new[] { new DenseLayer(3, 2, new float[] { 1, 2, 3, 4, 5, 6 }, new float[] { 0.5f, -0.5f }), new DenseLayer(2, 1, new float[] { 1, -1 }, new float[] { 0 }) },
            null, "Features", null);
        var bytes = Convert.FromBase64String(NetworkFormat.Write(network));
        Assert.AreEqual(6f, NetworkFormat.Read(Convert.ToBase64String(bytes)).Layers[0].Weights.Span[5]);

        int damaged = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            var copy = (byte[])bytes.Clone();
            copy[i] ^= 0x10;
            Assert.Throws<InvalidDataException>(() => NetworkFormat.Read(Convert.ToBase64String(copy)), $"byte {i}");
            damaged++;
        }
        Assert.AreEqual(bytes.Length, damaged);
        var truncated = Assert.Throws<InvalidDataException>(() => NetworkFormat.Read(Convert.ToBase64String(bytes.AsSpan(0, bytes.Length - 9).ToArray())));
        StringAssert.Contains(truncated.Message, "damaged");
    }

    [TestMethod]
    public void ManagedScores_EveryTaskAndActivation_MatchLibTorchForward()
    {
        var ml = new MLContext(1);
        foreach (var activation in Enum.GetValues<Activation>())
        {
            var options = new DenseNetworkOptions { HiddenLayerSizes = new[] { 12, 6 }, Activation = activation, Epochs = 2, Seed = 2 };
            var cases = new (DenseNetworkTransformer Model, IDataView Data)[]
            {
                (ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(SyntheticData.BinaryView(ml, 100, 1)), SyntheticData.BinaryView(ml, 40, 7)),
                (ml.MulticlassClassification.Trainers.DenseNetwork(options).Fit(SyntheticData.MulticlassView(ml, 100, 1)), SyntheticData.MulticlassView(ml, 40, 7)),
                (ml.Regression.Trainers.DenseNetwork(options).Fit(SyntheticData.RegressionView(ml, 100, 1)), SyntheticData.RegressionView(ml, 40, 7)),
            };
            foreach (var (model, data) in cases)
            {
                var want = NetworkOutputs.LibTorchScores(model.Model, Columns.Vectors(data, "Features"));
                var got = NetworkOutputs.Scored(model, data);
                Assert.HasCount(want.Length, got);
                for (int i = 0; i < want.Length; i++)
                    Assert.AreEqual(want[i], got[i], 2e-6f + 1e-5f * Math.Abs(want[i]), $"{activation} {model.Model.Task} value {i}");
            }
        }
    }

    [TestMethod]
    public void ManagedScores_SparseFeatures_EqualDenseFeatures()
    {
        var ml = new MLContext(1);
        var dense = Enumerable.Range(0, 30).Select(i => new SparseRow { Features = Enumerable.Range(0, 50).Select(j => (i + j) % 7 == 0 ? (float)(j - 25) / 10 : 0f).ToArray(), Label = i % 2 == 0 }).ToList();
        var data = ml.Data.LoadFromEnumerable(dense);
        var model = ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions { HiddenLayerSizes = new[] { 8 }, Epochs = 2, Seed = 1 }).Fit(data);
        // the same values as sparse vectors (what text featurizers produce)
        var sparseView = ml.Transforms.CustomMapping<SparseRow, SparseOut>((a, b) =>
        {
            var indices = Enumerable.Range(0, a.Features.Length).Where(j => a.Features[j] != 0).ToArray();
            b.SparseFeatures = new VBuffer<float>(a.Features.Length, indices.Length, indices.Select(j => a.Features[j]).ToArray(), indices);
        }, null).Fit(data).Transform(data);
        var sparse = ml.Transforms.DropColumns("Features").Append(ml.Transforms.CopyColumns("Features", "SparseFeatures")).Fit(sparseView).Transform(sparseView);

        var a = Columns.Scalars<float>(model.Transform(data), "Score");
        var b = Columns.Scalars<float>(model.Transform(sparse), "Score");

        Assert.IsTrue(Columns.BitEqual(a, b), "sparse and dense inputs give the same bits");
    }

    public sealed class SparseRow
    {
        [VectorType(50)]
        public float[] Features { get; set; } = new float[50];

        public bool Label { get; set; }
    }

    public sealed class SparseOut
    {
        [VectorType(50)]
        public VBuffer<float> SparseFeatures { get; set; }
    }
}
