using Microsoft.ML;
using MlNetDeep.Training;
using MlNetDeep.Training.Managed;

namespace MlNetDeep.Trainers.Tests;

/// <summary>
/// Which engine trains a Fit: the managed one for dense networks on rows in memory (GEMM products; row at a time under
/// the work threshold where MKL's sgemm is missing), libtorch for the rest (normalization, sparse rows, networks over
/// the threshold where sgemm is missing), and a clear error when the managed
/// engine is forced on a Fit it cannot train. (Managed-versus-libtorch results on real data:
/// MlNetDeep.Samples.Tests' ManagedEngineEquivalenceTests.)
/// </summary>
[TestClass]
public sealed class ManagedEngineChoiceTests
{
    private static DenseNetworkOptions Options(Action<DenseNetworkOptions>? set = null)
    {
        var o = new DenseNetworkOptions { HiddenLayerSizes = new[] { 16, 16 }, Epochs = 3, Seed = 3, NumberOfThreads = 1, Optimizer = OptimizerKind.Adam };
        set?.Invoke(o);
        return o;
    }

    private static TensorSet Rows(MLContext ml, FeatureLayout layout = FeatureLayout.Auto) =>
        new(TrainingSet.Read(SyntheticData.BinaryView(ml, 64, 1), NetworkTask.Binary, "Features", "Label", null, null, CancellationToken.None, layout), NetworkTask.Binary);

    [TestMethod]
    public void WorkPerBatch_IsBatchTimesMultiplyAddsOfEveryLayer()
    {
        Assert.AreEqual(32L * (30 * 16 + 16 * 16 + 16 * 1), ManagedTraining.WorkPerBatch(Options(o => o.BatchSize = 32), 30, 1));
        Assert.AreEqual(128L * (784 * 512 + 512 * 10), ManagedTraining.WorkPerBatch(Options(o => { o.HiddenLayerSizes = new[] { 512 }; o.BatchSize = 128; }), 784, 10));
    }

    [TestMethod]
    public void Auto_DenseNetworkInMemory_ChoosesManaged_NormalizedOrSparse_ChoosesLibTorch()
    {
        var ml = new MLContext(1);
        using var dense = Rows(ml);
        using var sparse = Rows(ml, FeatureLayout.Sparse);
        Assert.IsTrue(ManagedTraining.Chooses(Options(), dense, 1), "30 → 16 → 16 → 1-sized networks train managed");
        Assert.IsTrue(ManagedTraining.Chooses(Options(o => o.HiddenLayerSizes = new[] { 4096, 4096 }), dense, 1), "over the row-at-a-time threshold: managed with GEMM products");
        Assert.IsTrue(ManagedTraining.UsesGemm(Options()), "GEMM products at every size");
        Assert.IsFalse(ManagedTraining.UsesGemm(Options(o => o.Engine = TrainingEngine.ManagedRows)), "unless rows are forced");
        using (MlNetDeep.Native.MklGemm.HideForTests())
        {
            Assert.IsFalse(ManagedTraining.UsesGemm(Options()), "without sgemm: row at a time");
            Assert.IsTrue(ManagedTraining.Chooses(Options(), dense, 1), "without sgemm, under the threshold: managed");
            Assert.IsFalse(ManagedTraining.Chooses(Options(o => o.HiddenLayerSizes = new[] { 4096, 4096 }), dense, 1), "without sgemm, over the threshold: libtorch");
        }
        Assert.IsFalse(ManagedTraining.Chooses(Options(o => o.Normalization = NormalizationKind.BatchNormalization), dense, 1));
        Assert.IsFalse(ManagedTraining.Chooses(Options(), sparse, 1));
        Assert.IsFalse(ManagedTraining.Chooses(Options(o => o.Engine = TrainingEngine.LibTorch), dense, 1));
        Assert.IsTrue(ManagedTraining.Chooses(Options(o => { o.Engine = TrainingEngine.Managed; o.HiddenLayerSizes = new[] { 4096, 4096 }; }), dense, 1),
            "forced: any size");
    }

    [TestMethod]
    public void ForcedManaged_OnWhatItCannotTrain_ThrowsSayingWhy()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.BinaryView(ml, 64, 1);
        var normalized = Assert.ThrowsExactly<InvalidOperationException>(() => ml.BinaryClassification.Trainers.DenseNetwork(Options(o =>
        {
            o.Engine = TrainingEngine.Managed;
            o.Normalization = NormalizationKind.LayerNormalization;
        })).Fit(data));
        Assert.AreEqual("The managed training engine was required, but Normalization is LayerNormalization (the managed engine has no normalization layers).", normalized.Message);
        var sparse = Assert.ThrowsExactly<InvalidOperationException>(() => ml.BinaryClassification.Trainers.DenseNetwork(Options(o =>
        {
            o.Engine = TrainingEngine.Managed;
            o.FeatureLayout = FeatureLayout.Sparse;
        })).Fit(data));
        Assert.AreEqual("The managed training engine was required, but the rows are sparse (the managed engine trains dense rows).", sparse.Message);
    }

    [TestMethod]
    public void Auto_OnASmallNetwork_TrainsExactlyAsTheManagedEngine()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.BinaryView(ml, 300, 2);
        var auto = ml.BinaryClassification.Trainers.DenseNetwork(Options(o => o.DropoutRate = 0.2)).Fit(data);
        var managed = ml.BinaryClassification.Trainers.DenseNetwork(Options(o => { o.DropoutRate = 0.2; o.Engine = TrainingEngine.Managed; })).Fit(data);
        CollectionAssert.AreEqual(managed.History.Losses.ToArray(), auto.History.Losses.ToArray());
        CollectionAssert.AreEqual(managed.Model.Layers[0].Weights.ToArray(), auto.Model.Layers[0].Weights.ToArray());
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void StreamedRows_TrainManaged_AsTheLibTorchEngineDoes(bool multiclass)
    {
        // the streamed rows' own batches (shuffle buffer, weights) feed the managed engine; the libtorch engine on the
        // same stream must agree within float tolerance (the equivalence tests' bounds)
        var ml = new MLContext(1);
        var data = multiclass ? SyntheticData.MulticlassView(ml, 400, 3) : SyntheticData.BinaryView(ml, 400, 3);
        DenseNetworkTransformer Fit(TrainingEngine engine)
        {
            var o = Options(o => { o.Streaming = StreamingMode.On; o.ShuffleBufferSize = 50; o.ClassWeights = ClassWeights.Balanced; o.DropoutRate = 0.1; o.Engine = engine; });
            return multiclass ? ml.MulticlassClassification.Trainers.DenseNetwork(o).Fit(data) : ml.BinaryClassification.Trainers.DenseNetwork(o).Fit(data);
        }
        var (torch, managed) = (Fit(TrainingEngine.LibTorch), Fit(TrainingEngine.Managed));
        for (int e = 0; e < torch.History.Count; e++)
            Assert.AreEqual(torch.History[e].Loss, managed.History[e].Loss, 1e-4 * torch.History[e].Loss, $"epoch {e + 1}");
        var (a, b) = (torch.Model.Layers[^1].Weights.ToArray(), managed.Model.Layers[^1].Weights.ToArray());
        for (int i = 0; i < a.Length; i++)
            Assert.AreEqual(a[i], b[i], 1e-4, $"output kernel {i}");
    }

    [TestMethod]
    [DataRow(0.0, 0.0)]
    [DataRow(0.5, 0.52049987781304654)]
    [DataRow(1.0, 0.84270079294971487)]
    [DataRow(-1.0, -0.84270079294971487)]
    [DataRow(2.0, 0.99532226501895273)]
    [DataRow(-3.5, -0.99999925690162766)]
    public void Erf_MatchesReferenceValues_ToAFloatUlp(double x, double expected) =>
        Assert.AreEqual(expected, ManagedActivation.Erf(x), 1.2e-7);

    [TestMethod]
    public void ManagedTrainedModel_SavesLoadsAndScoresAsAnyModel()
    {
        // what is stored does not depend on the engine: the fitted scorer agrees with libtorch's forward pass of the
        // same weights, and the saved zip's PredictionEngine gives the fitted model's bits
        var ml = new MLContext(1);
        var rows = SyntheticData.Binary(200, seed: 4);
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.BinaryClassification.Trainers.DenseNetwork(Options(o => o.Engine = TrainingEngine.Managed)).Fit(data);
        var fitted = NetworkOutputs.Scored(model, data);
        var reference = NetworkOutputs.LibTorchScores(model.Model, rows.Select(r => r.Features).ToArray());
        for (int i = 0; i < fitted.Length; i++)
            Assert.AreEqual(reference[i], fitted[i], 1e-6, $"row {i}");

        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var loaded = new MLContext().Model.Load(stream, out _);
        var before = ml.Model.CreatePredictionEngine<BinaryRow, BinaryPrediction>(model);
        var after = ml.Model.CreatePredictionEngine<BinaryRow, BinaryPrediction>(loaded);
        foreach (var row in rows.Take(20))
            Assert.AreEqual(before.Predict(row).Score, after.Predict(row).Score);
    }
}
