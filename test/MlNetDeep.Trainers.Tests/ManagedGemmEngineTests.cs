using Microsoft.ML;
using MlNetDeep.Native;
using MlNetDeep.Training;
using MlNetDeep.Training.Managed;

namespace MlNetDeep.Trainers.Tests;

/// <summary>
/// The managed engine's batched path (each layer's products as MKL GEMM calls, <see cref="ManagedNetwork.Batched"/>):
/// the same forward pass and gradients as the row-at-a-time kernels on odd shapes (a width of 1, a batch of 1, a short
/// last batch, dropout, every activation); seeded Fits that repeat their bits alone, twice, and beside other Fits on
/// other threads; cancellation mid-epoch; the fallback where sgemm is missing; and sizes too large for one array.
/// (Agreement with libtorch on real rows for every option: MlNetDeep.Samples.Tests' ManagedEngineEquivalenceTests.)
/// </summary>
[TestClass]
public sealed class ManagedGemmEngineTests
{
    public TestContext TestContext { get; set; } = null!;

    private static float[] Values(Random r, int n, double scale) => Enumerable.Range(0, n).Select(_ => (float)((r.NextDouble() * 2 - 1) * scale)).ToArray();

    [TestMethod]
    [DataRow(new[] { 30, 16, 16, 1 }, 32, 32, Activation.Relu, 0.0)]
    [DataRow(new[] { 7, 1, 3 }, 5, 5, Activation.Tanh, 0.0)]
    [DataRow(new[] { 1, 9, 1 }, 4, 3, Activation.Relu, 0.0)]
    [DataRow(new[] { 784, 64, 10 }, 128, 77, Activation.Relu, 0.2)]
    [DataRow(new[] { 5, 9, 2 }, 8, 1, Activation.Gelu, 0.5)]
    [DataRow(new[] { 13, 17, 11, 4 }, 16, 16, Activation.Sigmoid, 0.3)]
    public void BatchedNetwork_GivesTheRowAtATimeOutputsAndGradients(int[] sizes, int batchSize, int count, Activation activation, double dropout)
    {
        var r = new Random(sizes.Sum() + count);
        var rows = new ManagedNetwork(sizes, activation, dropout, batchSize);
        var batched = new ManagedNetwork(sizes, activation, dropout, batchSize, batched: true);
        Assert.IsTrue(batched.Batched);
        for (int l = 0; l < rows.Kernels.Length; l++)
        {
            Values(r, rows.Kernels[l].Length, 1.0 / Math.Sqrt(sizes[l])).CopyTo(rows.Kernels[l], 0);
            rows.Kernels[l].CopyTo(batched.Kernels[l], 0);
            Values(r, rows.Biases[l].Length, 0.1).CopyTo(rows.Biases[l], 0);
            rows.Biases[l].CopyTo(batched.Biases[l], 0);
        }
        if (dropout > 0)
        {
            for (int l = 0; l < rows.HiddenLayers; l++)
            {
                var mask = Enumerable.Range(0, count * rows.HiddenWidth(l)).Select(_ => r.NextDouble() >= dropout ? 1f : 0f).ToArray();
                mask.CopyTo(rows.Mask(l, count));
                mask.CopyTo(batched.Mask(l, count));
            }
        }
        var x = Values(r, count * sizes[0], 1.0);

        var expected = rows.Forward(x, count, training: true).ToArray();
        var actual = batched.Forward(x, count, training: true).ToArray();
        AssertClose(expected, actual, 1e-5, "outputs");

        var outputGradient = Values(r, count * sizes[^1], 1.0 / count);
        outputGradient.CopyTo(rows.OutputGradient(count));
        outputGradient.CopyTo(batched.OutputGradient(count));
        // stale values from a previous, larger batch must not leak into the gradients
        Array.Fill(batched.KernelGradients[0], float.NaN);
        rows.Backward(x, count, training: true);
        batched.Backward(x, count, training: true);
        int last = rows.Kernels.Length - 1;
        CollectionAssert.AreEqual(rows.BiasGradients[last], batched.BiasGradients[last], "the output bias gradient: the same rows summed in the same order");
        for (int l = 0; l <= last; l++)
        {
            AssertClose(rows.KernelGradients[l], batched.KernelGradients[l], 1e-5, $"kernel gradient {l}");
            AssertClose(rows.BiasGradients[l], batched.BiasGradients[l], 1e-5, $"bias gradient {l}");
        }
    }

    private static void AssertClose(float[] expected, float[] actual, double tolerance, string what)
    {
        Assert.HasCount(expected.Length, actual, what);
        double scale = expected.Max(v => Math.Abs((double)v)) + 1e-30;
        for (int i = 0; i < expected.Length; i++)
            Assert.AreEqual(expected[i], actual[i], tolerance * scale, $"{what}[{i}] (largest magnitude {scale})");
    }

    [TestMethod]
    public void BatchedNetwork_WithoutSgemm_RefusesSayingWhy()
    {
        using var hidden = MklGemm.HideForTests();
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => new ManagedNetwork(new[] { 4, 3, 1 }, Activation.Relu, 0, 8, batched: true));
        Assert.AreEqual("The batched managed network needs MKL's sgemm, which this libtorch build does not provide.", e.Message);
    }

    private static DenseNetworkOptions Options(TrainingEngine engine, Action<DenseNetworkOptions>? set = null)
    {
        var o = new DenseNetworkOptions
        {
            HiddenLayerSizes = new[] { 1024, 512 }, Epochs = 2, BatchSize = 64, Seed = 11, NumberOfThreads = 1, Optimizer = OptimizerKind.RmsProp, Engine = engine,
        };
        set?.Invoke(o);
        return o;
    }

    /// <summary>The bits of a Fit: every weight and every epoch's loss.</summary>
    private static long[] Bits(DenseNetworkTransformer model) =>
        model.Model.Layers.SelectMany(l => l.Weights.ToArray()).Select(w => (long)BitConverter.SingleToInt32Bits(w))
            .Concat(model.History.Losses.Select(BitConverter.DoubleToInt64Bits)).ToArray();

    private static DenseNetworkTransformer FitMulticlass(TrainingEngine engine, int seed = 11, Action<DenseNetworkOptions>? set = null)
    {
        var ml = new MLContext(1);
        return ml.MulticlassClassification.Trainers.DenseNetwork(Options(engine, o => { o.Seed = seed; set?.Invoke(o); })).Fit(SyntheticData.MulticlassView(ml, 700, 5));
    }

    [TestMethod]
    public void Auto_LargeNetwork_TrainsOnTheGemmEngine_SameSeedSameBits()
    {
        // 64 × (4·1024 + 1024·512 + 512·3) multiply-adds per batch: over the row-at-a-time threshold, which would send
        // it to libtorch without sgemm
        Assert.IsTrue(ManagedTraining.WorkPerBatch(Options(TrainingEngine.Auto), 4, 3) > ManagedTraining.MaxWorkPerBatch);
        var auto = FitMulticlass(TrainingEngine.Auto);
        var gemm = FitMulticlass(TrainingEngine.ManagedGemm);
        var again = FitMulticlass(TrainingEngine.ManagedGemm);
        var torch = FitMulticlass(TrainingEngine.LibTorch);
        CollectionAssert.AreEqual(gemm.History.Losses.ToArray(), again.History.Losses.ToArray(), "same seed, same losses");
        CollectionAssert.AreEqual(Bits(gemm), Bits(again), "same seed, same bits");
        CollectionAssert.AreEqual(Bits(gemm), Bits(auto), "Auto chose the GEMM engine");
        for (int e = 0; e < torch.History.Count; e++)
            Assert.AreEqual(torch.History[e].Loss, gemm.History[e].Loss, 1e-3 * torch.History[e].Loss, $"epoch {e + 1}: the engines agree");
        Assert.IsLessThan(gemm.History.Losses[0], gemm.History.Losses[^1], "it learns");
    }

    [TestMethod]
    public void SmallNetwork_GemmAndRowAtATime_TrainAlike()
    {
        // the two forms of the managed engine on the 30 → 16 → 16 → 1-sized networks Auto used to train row by row
        var ml = new MLContext(1);
        var data = SyntheticData.BinaryView(ml, 500, 3);
        DenseNetworkTransformer Train(TrainingEngine engine) => ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions
        {
            HiddenLayerSizes = new[] { 16, 16 }, Epochs = 4, BatchSize = 32, Seed = 3, NumberOfThreads = 1, Optimizer = OptimizerKind.Adam, DropoutRate = 0.1, Engine = engine,
        }).Fit(data);
        var (rows, gemm, auto) = (Train(TrainingEngine.ManagedRows), Train(TrainingEngine.ManagedGemm), Train(TrainingEngine.Auto));
        CollectionAssert.AreEqual(Bits(gemm), Bits(auto), "Auto: GEMM products");
        for (int e = 0; e < rows.History.Count; e++)
            Assert.AreEqual(rows.History[e].Loss, gemm.History[e].Loss, 1e-5 * rows.History[e].Loss, $"epoch {e + 1}");
        var (a, b) = (rows.Model.Layers[0].Weights.ToArray(), gemm.Model.Layers[0].Weights.ToArray());
        for (int i = 0; i < a.Length; i++)
            Assert.AreEqual(a[i], b[i], 1e-4, $"first kernel {i}");
    }

    [TestMethod]
    public void GemmFits_OnParallelThreads_WithABusyNeighbour_KeepTheBitsOfTheRunsAlone()
    {
        var alone = new[] { Bits(FitMulticlass(TrainingEngine.ManagedGemm, 1)), Bits(FitMulticlass(TrainingEngine.ManagedGemm, 2)) };
        using var stop = new CancellationTokenSource();
        var busy = new Thread(() =>
        {
            double sink = 0;
            while (!stop.IsCancellationRequested)
                sink += Math.Sqrt(sink + 1); // a CPU-bound neighbour
            GC.KeepAlive(sink);
        }) { IsBackground = true };
        busy.Start();
        try
        {
            // two one-thread Fits at once (MKL's count is per thread: each runs its products on its own thread)
            var tasks = new[]
            {
                Task.Factory.StartNew(() => Bits(FitMulticlass(TrainingEngine.ManagedGemm, 1)), TaskCreationOptions.LongRunning),
                Task.Factory.StartNew(() => Bits(FitMulticlass(TrainingEngine.ManagedGemm, 2)), TaskCreationOptions.LongRunning),
            };
            var parallel = Task.WhenAll(tasks).GetAwaiter().GetResult();
            for (int v = 0; v < 2; v++)
                CollectionAssert.AreEqual(alone[v], parallel[v], $"seed {v + 1}: the same bits as alone");
        }
        finally
        {
            stop.Cancel();
            busy.Join();
        }
    }

    [TestMethod]
    public void GemmFit_LeavesTheThreadsMklCountAsALibTorchFitDoes()
    {
        // the epoch sets MKL's count for its products and restores it; around it the Fit's libtorch session sets and
        // restores libtorch's (which sets MKL's too): the thread ends as after a libtorch Fit
        int before = MklGemm.SetThreadsLocal(3);
        try
        {
            FitMulticlass(TrainingEngine.LibTorch, set: o => o.Epochs = 1);
            int afterLibTorch = MklGemm.SetThreadsLocal(3);
            FitMulticlass(TrainingEngine.ManagedGemm, set: o => o.Epochs = 1);
            Assert.AreEqual(afterLibTorch, MklGemm.SetThreadsLocal(3), "the calling thread's MKL count after the Fit");
        }
        finally
        {
            MklGemm.SetThreadsLocal(before);
        }
    }

    [TestMethod]
    public void WithoutSgemm_AutoTrainsLargeNetworksOnLibTorch_AndForcingGemmSaysWhy()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.MulticlassView(ml, 300, 5);
        using var rows = new TensorSet(TrainingSet.Read(data, NetworkTask.Multiclass, "Features", "Label", null, null, CancellationToken.None), NetworkTask.Multiclass);
        long[] torch = Bits(ml.MulticlassClassification.Trainers.DenseNetwork(Options(TrainingEngine.LibTorch, o => o.Epochs = 1)).Fit(data));
        using (MklGemm.HideForTests())
        {
            Assert.IsFalse(ManagedTraining.Chooses(Options(TrainingEngine.Auto), rows, 3), "Auto: libtorch");
            Assert.IsFalse(ManagedTraining.UsesGemm(Options(TrainingEngine.Managed)), "forced managed: row at a time");
            var auto = ml.MulticlassClassification.Trainers.DenseNetwork(Options(TrainingEngine.Auto, o => o.Epochs = 1)).Fit(data);
            CollectionAssert.AreEqual(torch, Bits(auto), "trained on libtorch");
            var e = Assert.ThrowsExactly<InvalidOperationException>(() =>
                ml.MulticlassClassification.Trainers.DenseNetwork(Options(TrainingEngine.ManagedGemm, o => o.Epochs = 1)).Fit(data));
            Assert.AreEqual("The managed training engine with GEMM products was required, but this libtorch build does not export MKL's sgemm.", e.Message);
        }
        Assert.IsTrue(ManagedTraining.Chooses(Options(TrainingEngine.Auto), rows, 3), "with sgemm: the managed engine");
    }

    [TestMethod]
    public void LayersTooLargeForOneArray_TrainOnLibTorch_OrSayWhyWhenForced()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.MulticlassView(ml, 50, 5);
        using var rows = new TensorSet(TrainingSet.Read(data, NetworkTask.Multiclass, "Features", "Label", null, null, CancellationToken.None), NetworkTask.Multiclass);
        var huge = Options(TrainingEngine.Auto, o => o.HiddenLayerSizes = new[] { 50_000, 50_000 });
        Assert.IsFalse(ManagedTraining.Chooses(huge, rows, 3), "a 50,000 x 50,000 kernel (2.5e9 values) exceeds an array: libtorch");
        Assert.AreEqual("a 50000 x 50000 kernel has more than 2147483591 values (the managed engine keeps each kernel in one array)", ManagedTraining.Unsupported(huge, rows));
        var wideBatch = Options(TrainingEngine.Auto, o => { o.HiddenLayerSizes = new[] { 50_000_000 }; o.BatchSize = 64; });
        Assert.AreEqual("a batch of 50 rows of 50000000 values has more than 2147483591 values (the managed engine keeps each batch in one array)", ManagedTraining.Unsupported(wideBatch, rows));
        var wideOutput = Options(TrainingEngine.Auto, o => o.HiddenLayerSizes = new[] { 30_000_000 });
        Assert.IsNull(ManagedTraining.Unsupported(wideOutput, rows, 3), "4 x 30M and 30M x 3 kernels fit");
        Assert.AreEqual("a 30000000 x 100 kernel has more than 2147483591 values (the managed engine keeps each kernel in one array)",
            ManagedTraining.Unsupported(wideOutput, rows, 100), "the output layer's kernel counts too");
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ManagedTraining.Chooses(Options(TrainingEngine.Managed, o => o.HiddenLayerSizes = new[] { 50_000, 50_000 }), rows, 3));
        StringAssert.StartsWith(e.Message, "The managed training engine was required, but a 50000 x 50000 kernel");
    }

    [TestMethod]
    public void Cancellation_MidEpoch_OnTheGemmEngine_KeepsTheLastCompletedEpoch()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.MulticlassView(ml, 700, 5);
        using var cts = new CancellationTokenSource();
        var canceller = new CancelAtBatch(cts, epoch: 2, batch: 3);
        var options = Options(TrainingEngine.ManagedGemm, o => { o.Epochs = 3; o.CancellationToken = cts.Token; o.Callbacks.Add(canceller); });
        var error = Assert.ThrowsExactly<TrainingCancelledException>(() => ml.MulticlassClassification.Trainers.DenseNetwork(options).Fit(data));
        Assert.HasCount(1, error.History);
        Assert.AreEqual("cancelled after epoch 1 (during epoch 2)", error.History.StopReason);
        var oneEpoch = ml.MulticlassClassification.Trainers.DenseNetwork(Options(TrainingEngine.ManagedGemm, o => o.Epochs = 1)).Fit(data);
        for (int i = 0; i < oneEpoch.Model.Layers.Count; i++)
            CollectionAssert.AreEqual(oneEpoch.Model.Layers[i].Weights.ToArray(), error.Model!.Layers[i].Weights.ToArray(), $"layer {i}: epoch 2's first batches were dropped");
    }

    [TestMethod]
    public void NaNFeatures_OnALargeNetwork_RefusedBeforeTraining()
    {
        var ml = new MLContext(1);
        var rows = SyntheticData.Multiclass(200, 5);
        rows[17].Features[2] = float.NaN;
        var data = ml.Transforms.Conversion.MapValueToKey("Label").Fit(ml.Data.LoadFromEnumerable(rows)).Transform(ml.Data.LoadFromEnumerable(rows));
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.MulticlassClassification.Trainers.DenseNetwork(Options(TrainingEngine.Auto)).Fit(data));
        Assert.AreEqual("Column 'Features' has 1 training row(s) with NaN or infinite values (first: row 17, slot 2, value NaN); remove or replace them (e.g. mlContext.Transforms.ReplaceMissingValues) before training.", e.Message);
    }

    /// <summary>Cancels the token after a given batch of a given epoch.</summary>
    private sealed class CancelAtBatch(CancellationTokenSource cts, int epoch, int batch) : IEpochCallback, ITrainingCallback
    {
        private int _epoch, _batch;

        public double OnEpochBegin(int e, double learningRate)
        {
            (_epoch, _batch) = (e, 0);
            return learningRate;
        }

        public void OnBatchEnd(double loss)
        {
            if (_epoch == epoch && ++_batch == batch)
                cts.Cancel();
        }

        public void OnEpochEnd(EpochEndContext context)
        {
        }
    }
}
