using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlNetDeep.TestUtilities;

namespace MlNetDeep.Trainers.Tests;

/// <summary>Fit(trainData, initialModel): continuing a network, from memory or from a saved zip.</summary>
[TestClass]
public sealed class WarmStartTests
{
    /// <summary>The configuration the trainer's docs quote the warm-start gap for.</summary>
    private static DenseNetworkOptions Documented(int epochs, bool shuffle = true) => new()
    {
        LearningRate = 0.003, Epochs = epochs, Seed = 1, NumberOfThreads = 1, Shuffle = shuffle, ValidationFraction = 0.2,
    };

    private sealed class ThreeFeatureRow
    {
        [VectorType(3)]
        public float[] Features { get; set; } = new float[3];

        public bool Label { get; set; }
    }

    [TestMethod]
    public void SecondFit_StartsNearTheLastLossOfTheFirst_NumbersEpochsOn_AndKeepsTheEarlierEpochs()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.BinaryView(ml, 1000, 1);
        var first = ml.BinaryClassification.Trainers.DenseNetwork(Documented(5)).Fit(data);

        var second = ml.BinaryClassification.Trainers.DenseNetwork(Documented(5)).Fit(data, first.Model);

        var h = second.History;
        CollectionAssert.AreEqual(Enumerable.Range(1, 10).ToArray(), h.Select(e => e.Epoch).ToArray());
        CollectionAssert.AreEqual(first.History.ToArray(), h.Take(5).ToArray(), "the initial model's epochs come first, unchanged");
        double initial = first.History[0].Loss, last = first.History[^1].Loss, resumed = h[5].Loss;
        Console.WriteLine($"first Fit: epoch 1 {initial:F4}, epoch 5 {last:F4}; continued epoch 6 {resumed:F4}");
        Assert.IsLessThan(last + 0.25 * (initial - last), resumed, "epoch 6 starts near where epoch 5 ended");
        Assert.AreEqual(StopKind.Completed, h.Stop);
        Assert.AreEqual("completed 5 epoch(s); continued the initial model after its epoch 5", h.StopReason);
        Assert.HasCount(5, first.History, "the initial model is not changed");
        Assert.AreSame(h, second.Model.History);
    }

    [TestMethod]
    public void FivePlusFive_AgainstTenInOneFit_IsTheGapTheDocsQuote()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.BinaryView(ml, 1000, 1);
        foreach (var shuffle in new[] { true, false })
        {
            var straight = ml.BinaryClassification.Trainers.DenseNetwork(Documented(10, shuffle)).Fit(data).History;
            var first = ml.BinaryClassification.Trainers.DenseNetwork(Documented(5, shuffle)).Fit(data);
            var warm = ml.BinaryClassification.Trainers.DenseNetwork(Documented(5, shuffle)).Fit(data, first.Model).History;

            Console.WriteLine($"shuffle {shuffle}: 10 epochs {straight[^1].Loss:F4} (val {straight[^1].ValidationLoss:F4}); 5 + 5 {warm[^1].Loss:F4} (val {warm[^1].ValidationLoss:F4})");
            var (expectedStraight, expectedWarm) = shuffle ? (0.1724, 0.1660) : (0.1550, 0.1492);
            Assert.AreEqual(expectedStraight, straight[^1].Loss, 5e-5);
            Assert.AreEqual(expectedWarm, warm[^1].Loss, 5e-5);
            CollectionAssert.AreEqual(straight.Take(5).Select(e => e.Loss).ToArray(), warm.Take(5).Select(e => e.Loss).ToArray(), "the same first five epochs");
        }
    }

    [TestMethod]
    public void PlainFitTwice_StartsFromScratchBothTimes()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.BinaryView(ml, 200, 1);
        var trainer = ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions { Epochs = 3, Seed = 4, NumberOfThreads = 1 });

        var a = trainer.Fit(data);
        var b = trainer.Fit(data);

        Assert.AreEqual(SeededRunReferenceTests.Describe(a), SeededRunReferenceTests.Describe(b));
        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, b.History.Select(e => e.Epoch).ToArray());
    }

    [TestMethod]
    public void IncompatibleModel_EveryProblemListedBeforeAnyRowIsRead()
    {
        var ml = new MLContext(1);
        var binary = ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions { HiddenLayerSizes = new[] { 8, 4 }, Activation = Activation.Tanh, Epochs = 1, Seed = 1 })
            .Fit(SyntheticData.BinaryView(ml, 50, 1)).Model;
        var narrow = ml.Data.LoadFromEnumerable(new[] { new ThreeFeatureRow(), new ThreeFeatureRow { Label = true } });

        var error = Assert.ThrowsExactly<ArgumentException>(() => ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions { Epochs = 1 }).Fit(narrow, binary));

        Assert.AreEqual("initialModel", error.ParamName);
        Assert.AreEqual(string.Join("\n",
            "The initial model cannot be continued by this trainer: 3 problem(s).",
            "initialModel: it takes 4 features; column 'Features' has 3. Continue on data prepared by the same transforms as its first training.",
            "initialModel: it has hidden layers [8, 4]; HiddenLayerSizes is [64]. A warm start keeps the architecture: set HiddenLayerSizes = new[] { 8, 4 }.",
            "initialModel: it uses the Tanh activation; Activation is Relu. Set Activation = Activation.Tanh.") + " (Parameter 'initialModel')", error.Message);

        var task = Assert.ThrowsExactly<ArgumentException>(() => ml.Regression.Trainers.DenseNetwork(new DenseNetworkOptions { HiddenLayerSizes = new[] { 8, 4 }, Activation = Activation.Tanh })
            .Fit(SyntheticData.RegressionView(ml, 20, 1), binary));
        StringAssert.Contains(task.Message, "initialModel: it is a Binary network; this trainer trains Regression networks.");
        Assert.ThrowsExactly<ArgumentNullException>(() => ml.Regression.Trainers.DenseNetwork(new DenseNetworkOptions()).Fit(SyntheticData.RegressionView(ml, 20, 1), null!));
    }

    [TestMethod]
    public void Multiclass_ClassesInAnotherKeyOrder_AreRefused()
    {
        var ml = new MLContext(1);
        var rows = SyntheticData.Multiclass(200, 1);
        var model = ml.MulticlassClassification.Trainers.DenseNetwork(new DenseNetworkOptions { Epochs = 1, Seed = 1 }).Fit(SyntheticData.MulticlassView(ml, 200, 1)).Model;
        var reversed = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue);
        var data = ml.Data.LoadFromEnumerable(rows);
        var sorted = reversed.Fit(data).Transform(data);

        var error = Assert.ThrowsExactly<ArgumentException>(() => ml.MulticlassClassification.Trainers.DenseNetwork(new DenseNetworkOptions { Epochs = 1 }).Fit(sorted, model));

        StringAssert.Contains(error.Message, $"initialModel: its classes are [{string.Join(", ", model.ClassNames!)}] in key order; column 'Label' has [east, north, west]. Map the label with the MapValueToKey transformer of its first training");
    }

    [TestMethod]
    public void SavedPipeline_LoadedContinuedAndSavedAgain_ScoresBitIdenticallyInASeparateProcess_AndExportsToOnnx()
    {
        var ml = new MLContext(1);
        var raw = ml.Data.LoadFromEnumerable(SyntheticData.Multiclass(300, 1));
        var prep = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.Transforms.NormalizeMinMax("Features")).Fit(raw);
        var prepared = prep.Transform(raw);
        var options = new DenseNetworkOptions { HiddenLayerSizes = new[] { 16 }, Epochs = 3, Seed = 1, ValidationFraction = 0.2 };
        var path = Path.Combine(Path.GetTempPath(), "mlnetdeep-tests", $"warm-{Guid.NewGuid():N}.zip");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        ml.Model.Save(prep.Append(ml.MulticlassClassification.Trainers.DenseNetwork(options).Fit(prepared)), raw.Schema, path);

        // another day: load the zip, continue the network, save the pipeline again
        var yesterday = DenseNetworkModel.FromTransformer(new MLContext().Model.Load(path, out _));
        options.Epochs = 2;
        var continued = ml.MulticlassClassification.Trainers.DenseNetwork(options).Fit(prepared, yesterday);
        var pipeline = prep.Append(continued);
        ml.Model.Save(pipeline, raw.Schema, path);

        CollectionAssert.AreEqual(new[] { 1, 2, 3, 4, 5 }, continued.History.Select(e => e.Epoch).ToArray());
        var loaded = SeparateProcess.TransformWithLoadedModel(ml, path, raw, out var loaderOutput);
        Assert.AreEqual("no-torchsharp-no-onnxruntime", loaderOutput);
        var here = Columns.Vectors(pipeline.Transform(raw), "Score");
        var there = Columns.Vectors(loaded, "Score");
        for (int i = 0; i < here.Length; i++)
            Assert.IsTrue(Columns.BitEqual(here[i], there[i]), $"row {i}");
        var reloaded = DenseNetworkModel.FromTransformer(new MLContext().Model.Load(path, out _)).History!;
        Assert.AreEqual(continued.History.ToCsv(), reloaded.ToCsv());

        using var onnx = new MemoryStream();
        continued.ExportOnnx(onnx);
        using var session = new InferenceSession(onnx.ToArray());
        var features = Columns.Vectors(prepared, "Features");
        var input = new DenseTensor<float>(features.SelectMany(f => f).ToArray(), new[] { features.Length, 4 });
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("features", input) });
        var probabilities = results.First(r => r.Name == "probabilities").AsEnumerable<float>().ToArray();
        for (int i = 0; i < here.Length; i++)
            for (int k = 0; k < 3; k++)
                Assert.AreEqual(here[i][k], probabilities[i * 3 + k], 1e-5f, $"row {i} class {k}");
        File.Delete(path);
    }

    [TestMethod]
    public void CancelledBeforeTheFirstContinuedEpoch_GivesBackTheInitialModelsWeights()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.RegressionView(ml, 100, 1);
        var initial = ml.Regression.Trainers.DenseNetwork(new DenseNetworkOptions { Epochs = 2, Seed = 1 }).Fit(data).Model;
        using var cts = new CancellationTokenSource();
        var options = new DenseNetworkOptions { Epochs = 3, Seed = 2, CancellationToken = cts.Token, Callbacks = { new LearningRateScheduler((e, r) => { cts.Cancel(); return r; }) } };

        var error = Assert.ThrowsExactly<TrainingCancelledException>(() => ml.Regression.Trainers.DenseNetwork(options).Fit(data, initial));

        Assert.AreEqual("cancelled after epoch 2 (during epoch 3); continued the initial model after its epoch 2", error.History.StopReason);
        Assert.HasCount(2, error.History);
        CollectionAssert.AreEqual(initial.Layers[0].Weights.ToArray(), error.Model!.Layers[0].Weights.ToArray());
    }
}
