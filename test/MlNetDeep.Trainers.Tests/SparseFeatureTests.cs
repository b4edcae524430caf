using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlNetDeep.TestUtilities;
using MlNetDeep.Training;
using static TorchSharp.torch;

namespace MlNetDeep.Trainers.Tests;

public sealed class SparseRow
{
    public VBuffer<float> Features { get; set; }

    public bool Label { get; set; }

    public float Value { get; set; }

    public float Weight { get; set; } = 1f;
}

/// <summary>The sparse training path (<see cref="FeatureLayout.Sparse"/>) against the dense one on the same rows.</summary>
[TestClass]
public sealed class SparseFeatureTests
{
    private const int Width = 300;

    /// <summary>
    /// Rows of <see cref="Width"/> slots with about <paramref name="perRow"/> non-zeros each, as sparse VBuffers (or dense
    /// ones); the label is whether the row's signed "spam words" (columns below 20) outweigh its "ham words".
    /// </summary>
    private static IDataView Data(MLContext ml, int rows, int seed, int perRow = 8, bool denseBuffers = false)
    {
        var r = new Random(seed);
        var list = new List<SparseRow>();
        for (int i = 0; i < rows; i++)
        {
            var columns = Enumerable.Range(0, perRow).Select(_ => r.Next(Width)).Distinct().Order().ToArray();
            var values = columns.Select(_ => (float)(1 + r.Next(3))).ToArray();
            double evidence = columns.Zip(values).Sum(p => p.First < 10 ? p.Second : p.First < 20 ? -p.Second : 0);
            var vector = new VBuffer<float>(Width, columns.Length, values, columns);
            if (denseBuffers)
            {
                var dense = new float[Width];
                vector.CopyTo(dense);
                vector = new VBuffer<float>(Width, dense);
            }
            list.Add(new SparseRow { Features = vector, Label = evidence + 0.3 * Normal(r) > 0, Value = (float)evidence, Weight = 1 + (i % 3) });
        }
        var schema = SchemaDefinition.Create(typeof(SparseRow));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Width);
        return ml.Data.LoadFromEnumerable(list, schema);
    }

    private static double Normal(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    private static DenseNetworkOptions Options(FeatureLayout layout) => new()
    {
        FeatureLayout = layout, HiddenLayerSizes = new[] { 16, 8 }, Epochs = 6, BatchSize = 16, Seed = 3,
    };

    private static float[] Probabilities(ITransformer model, IDataView data) => Columns.Scalars<float>(model.Transform(data), "Probability");

    private static void AssertClose(float[] expected, float[] actual, float tolerance, string what)
    {
        Assert.AreEqual(expected.Length, actual.Length, what);
        for (int i = 0; i < expected.Length; i++)
            Assert.AreEqual(expected[i], actual[i], tolerance, $"{what}: row {i}");
    }

    public static IEnumerable<object[]> Settings()
    {
        // tolerance: the two layouts sum the first layer in another order, so they differ by float rounding, which
        // Adam (a step of about lr whatever the gradient's size) and batch normalization (dividing by small batch
        // variances) let grow over 6 epochs to ~2e-4 in a probability; the others stay below 1e-4
        yield return new object[] { "plain", 1e-4f, (Action<DenseNetworkOptions>)(_ => { }) };
        yield return new object[] { "dropout, L1, L2", 1e-4f, (Action<DenseNetworkOptions>)(o => { o.DropoutRate = 0.3; o.L1Regularization = 1e-4; o.L2Regularization = 1e-3; }) };
        yield return new object[] { "batch normalization, Adam, clipnorm", 1e-3f, (Action<DenseNetworkOptions>)(o => { o.Normalization = NormalizationKind.BatchNormalization; o.Optimizer = OptimizerKind.Adam; o.GradientClipNorm = 0.5; }) };
        yield return new object[] { "layer normalization, SGD, clipvalue", 1e-4f, (Action<DenseNetworkOptions>)(o => { o.Normalization = NormalizationKind.LayerNormalization; o.Optimizer = OptimizerKind.Sgd; o.Momentum = 0.9; o.LearningRate = 0.05; o.GradientClipValue = 0.1; }) };
        yield return new object[] { "class weights, example weights, validation, early stopping", 1e-4f, (Action<DenseNetworkOptions>)(o =>
        {
            o.ClassWeights = ClassWeights.Balanced;
            o.ExampleWeightColumnName = "Weight";
            o.ValidationFraction = 0.25;
            o.Epochs = 30;
            o.EarlyStopping = new EarlyStoppingOptions { Patience = 2, RestoreBestWeights = true };
        }) };
    }

    [TestMethod]
    [DynamicData(nameof(Settings))]
    public void Fit_SparseAndDenseLayouts_SameHistoryAndPredictions(string name, float tolerance, Action<DenseNetworkOptions> configure)
    {
        var ml = new MLContext(1);
        var data = Data(ml, 240, seed: 1);
        var test = Data(ml, 80, seed: 2);
        var dense = Options(FeatureLayout.Dense);
        var sparse = Options(FeatureLayout.Sparse);
        configure(dense);
        configure(sparse);

        var denseModel = ml.BinaryClassification.Trainers.DenseNetwork(dense).Fit(data);
        var sparseModel = ml.BinaryClassification.Trainers.DenseNetwork(sparse).Fit(data);

        Assert.IsFalse(denseModel.TrainedOnSparseRows, name);
        Assert.IsTrue(sparseModel.TrainedOnSparseRows, name);
        Assert.AreEqual(denseModel.History.Count, sparseModel.History.Count, $"{name}: epochs trained ({denseModel.History.StopReason} / {sparseModel.History.StopReason})");
        for (int e = 0; e < denseModel.History.Count; e++)
        {
            Assert.AreEqual(denseModel.History[e].Loss, sparseModel.History[e].Loss, tolerance, $"{name}: loss of epoch {e + 1}");
            Assert.AreEqual(denseModel.History[e].ValidationLoss ?? 0, sparseModel.History[e].ValidationLoss ?? 0, tolerance, $"{name}: validation loss of epoch {e + 1}");
        }
        var expected = Probabilities(denseModel, test);
        AssertClose(expected, Probabilities(sparseModel, test), tolerance, name);
        Assert.IsTrue(expected.Distinct().Count() > 10, $"{name}: the network should score rows differently");
    }

    [TestMethod]
    public void Fit_SparseRegressionAndMulticlass_MatchDense()
    {
        var ml = new MLContext(1);
        var data = Data(ml, 200, seed: 4);
        var regression = ml.Regression.Trainers;
        var denseRegression = regression.DenseNetwork(Options(FeatureLayout.Dense).With(o => o.LabelColumnName = "Value")).Fit(data);
        var sparseRegression = regression.DenseNetwork(Options(FeatureLayout.Sparse).With(o => o.LabelColumnName = "Value")).Fit(data);
        Assert.IsTrue(sparseRegression.TrainedOnSparseRows);
        AssertClose(Columns.Scalars<float>(denseRegression.Transform(data), "Score"), Columns.Scalars<float>(sparseRegression.Transform(data), "Score"), 1e-3f, "regression");

        var keyed = ml.Transforms.Conversion.MapValueToKey("Class", "Label").Fit(data).Transform(data);
        var denseMulti = ml.MulticlassClassification.Trainers.DenseNetwork(Options(FeatureLayout.Dense).With(o => o.LabelColumnName = "Class")).Fit(keyed);
        var sparseMulti = ml.MulticlassClassification.Trainers.DenseNetwork(Options(FeatureLayout.Sparse).With(o => o.LabelColumnName = "Class")).Fit(keyed);
        Assert.IsTrue(sparseMulti.TrainedOnSparseRows);
        AssertClose(Columns.Vectors(denseMulti.Transform(keyed), "Score").SelectMany(v => v).ToArray(),
            Columns.Vectors(sparseMulti.Transform(keyed), "Score").SelectMany(v => v).ToArray(), 1e-4f, "multiclass");
    }

    [TestMethod]
    public void Fit_WarmStartAndFindLearningRate_SparseMatchesDense()
    {
        var ml = new MLContext(1);
        var data = Data(ml, 200, seed: 5);
        var first = ml.BinaryClassification.Trainers.DenseNetwork(Options(FeatureLayout.Dense)).Fit(data);
        var denseMore = ml.BinaryClassification.Trainers.DenseNetwork(Options(FeatureLayout.Dense)).Fit(data, first.Model);
        var sparseMore = ml.BinaryClassification.Trainers.DenseNetwork(Options(FeatureLayout.Sparse)).Fit(data, first.Model);
        Assert.AreEqual(12, sparseMore.History[^1].Epoch);
        AssertClose(Probabilities(denseMore, data), Probabilities(sparseMore, data), 1e-4f, "warm start");

        var denseRates = ml.BinaryClassification.Trainers.DenseNetwork(Options(FeatureLayout.Dense)).FindLearningRate(data);
        var sparseRates = ml.BinaryClassification.Trainers.DenseNetwork(Options(FeatureLayout.Sparse)).FindLearningRate(data);
        Assert.AreEqual(denseRates.Losses.Count, sparseRates.Losses.Count);
        for (int i = 0; i < denseRates.Losses.Count / 2; i++) // the first half: near the explosion rounding differences grow
            Assert.AreEqual(denseRates.Losses[i], sparseRates.Losses[i], 1e-3 * Math.Max(1, Math.Abs(denseRates.Losses[i])), $"range-test step {i}");
    }

    [TestMethod]
    public void Fit_AutoLayout_SparseOnlyForSparseBuffersWithFewNonZeros()
    {
        var ml = new MLContext(1);
        var trainer = ml.BinaryClassification.Trainers.DenseNetwork(Options(FeatureLayout.Auto).With(o => o.Epochs = 1));
        Assert.IsTrue(trainer.Fit(Data(ml, 100, seed: 6, perRow: 8)).TrainedOnSparseRows, "sparse buffers, 2.7% non-zero");
        Assert.IsFalse(trainer.Fit(Data(ml, 100, seed: 6, perRow: 8, denseBuffers: true)).TrainedOnSparseRows, "dense buffers");
        Assert.IsFalse(trainer.Fit(Data(ml, 100, seed: 6, perRow: 60)).TrainedOnSparseRows, "sparse buffers, 18% non-zero");
        Assert.IsTrue(ml.BinaryClassification.Trainers.DenseNetwork(Options(FeatureLayout.Sparse).With(o => o.Epochs = 1))
            .Fit(Data(ml, 100, seed: 6, perRow: 8, denseBuffers: true)).TrainedOnSparseRows, "Sparse asked for: dense buffers compressed");
    }

    [TestMethod]
    public void Read_SparseRows_KeepOnlyNonZerosInRowOrder()
    {
        var ml = new MLContext(1);
        var set = TrainingSet.Read(Data(ml, 50, seed: 7), NetworkTask.Binary, "Features", "Label", null, null, CancellationToken.None, FeatureLayout.Sparse);
        var dense = TrainingSet.Read(Data(ml, 50, seed: 7), NetworkTask.Binary, "Features", "Label", null, null, CancellationToken.None, FeatureLayout.Dense);
        Assert.IsNotNull(set.Sparse);
        Assert.IsNull(dense.Sparse);
        Assert.AreEqual(dense.Features.Count(v => v != 0), set.Sparse.NonZeros);
        CollectionAssert.AreEqual(dense.Features, set.Sparse.ToDense());
    }

    [TestMethod]
    public void Forward_BothSparseKernels_EqualTheDenseProductAndGradient()
    {
        var ml = new MLContext(1);
        var set = TrainingSet.Read(Data(ml, 40, seed: 8), NetworkTask.Binary, "Features", "Label", null, null, CancellationToken.None, FeatureLayout.Sparse);
        var denseSet = TrainingSet.Read(Data(ml, 40, seed: 8), NetworkTask.Binary, "Features", "Label", null, null, CancellationToken.None, FeatureLayout.Dense);
        using var generator = new Generator(1, CPU);
        using var layer = nn.Linear(Width, 5);
        using var sparse = new TensorSet(set, NetworkTask.Binary);
        using var denseData = new TensorSet(denseSet, NetworkTask.Binary);
        using var scope = NewDisposeScope();
        var index = tensor(new long[] { 7, 3, 39, 0, 3 });
        layer.zero_grad();
        var expected = layer.forward(denseData.Gather(index).Dense!);
        expected.sum().backward();
        var expectedGradient = layer.weight!.grad!.clone();
        var previous = SparseFirstLayer.Kernel;
        try
        {
            foreach (var kernel in Enum.GetValues<SparseKernel>())
            {
                SparseFirstLayer.Kernel = kernel;
                layer.zero_grad();
                var actual = SparseFirstLayer.Forward(layer, sparse.Gather(index));
                actual.sum().backward();
                Assert.IsTrue(actual.allclose(expected, rtol: 1e-5, atol: 1e-6), $"{kernel}: outputs");
                Assert.IsTrue(layer.weight.grad!.allclose(expectedGradient, rtol: 1e-5, atol: 1e-6), $"{kernel}: kernel gradient");
            }
        }
        finally
        {
            SparseFirstLayer.Kernel = previous;
        }
    }

    [TestMethod]
    public void Forward_BatchOfEmptyRows_GivesTheBiasWithAndWithoutGradients()
    {
        var ml = new MLContext(1);
        var rows = Enumerable.Range(0, 4).Select(i => new SparseRow { Features = new VBuffer<float>(Width, 0, Array.Empty<float>(), Array.Empty<int>()), Label = i % 2 == 0 }).ToList();
        var schema = SchemaDefinition.Create(typeof(SparseRow));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Width);
        var set = TrainingSet.Read(ml.Data.LoadFromEnumerable(rows, schema), NetworkTask.Binary, "Features", "Label", null, null, CancellationToken.None, FeatureLayout.Sparse);
        Assert.AreEqual(0L, set.Sparse!.NonZeros);
        using var layer = nn.Linear(Width, 3);
        using var data = new TensorSet(set, NetworkTask.Binary);
        using var scope = NewDisposeScope();
        var expected = layer.bias!.expand(4, 3);
        var previous = SparseFirstLayer.Kernel;
        try
        {
            foreach (var kernel in Enum.GetValues<SparseKernel>())
            {
                SparseFirstLayer.Kernel = kernel;
                Assert.IsTrue(SparseFirstLayer.Forward(layer, data.Range(0, 4)).allclose(expected, rtol: 0, atol: 0), $"{kernel}");
                using (no_grad())
                    Assert.IsTrue(SparseFirstLayer.Forward(layer, data.Gather(tensor(new long[] { 3, 1, 0, 2 }))).allclose(expected, rtol: 0, atol: 0), $"{kernel}, no gradients");
            }
        }
        finally
        {
            SparseFirstLayer.Kernel = previous;
        }
    }

    [TestMethod]
    public void SparseTrainedModel_SaveLoadAndOnnx_ScoreLikeTheFittedModel()
    {
        var ml = new MLContext(1);
        var data = Data(ml, 200, seed: 9);
        var test = Data(ml, 40, seed: 10);
        var model = ml.BinaryClassification.Trainers.DenseNetwork(Options(FeatureLayout.Sparse)).Fit(data);
        Assert.IsTrue(model.TrainedOnSparseRows);
        var scores = Columns.Scalars<float>(model.Transform(test), "Score");

        using var zip = new MemoryStream();
        ml.Model.Save(model, data.Schema, zip);
        zip.Position = 0;
        var loaded = ml.Model.Load(zip, out _);
        CollectionAssert.AreEqual(scores, Columns.Scalars<float>(loaded.Transform(test), "Score"), "save → load scores");

        using var onnx = new MemoryStream();
        model.ExportOnnx(onnx);
        using var session = new InferenceSession(onnx.ToArray());
        var rows = Columns.Vectors(test, "Features");
        var input = new DenseTensor<float>(rows.SelectMany(r => r).ToArray(), new[] { rows.Length, Width });
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("features", input) });
        var logits = results.First(r => r.Name == "logits").AsEnumerable<float>().ToArray();
        AssertClose(scores, logits, 1e-5f, "ONNX logits");
    }

    [TestMethod]
    public void Fit_NaNInSparseValues_SameErrorWithTheSlot()
    {
        var ml = new MLContext(1);
        var rows = new List<SparseRow>();
        for (int i = 0; i < 6; i++)
        {
            float bad = i is 2 or 4 ? float.NaN : 1f;
            rows.Add(new SparseRow { Features = new VBuffer<float>(Width, 2, new[] { 1f, bad }, new[] { 5, 40 + i }), Label = i % 2 == 0 });
        }
        var schema = SchemaDefinition.Create(typeof(SparseRow));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Width);
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        foreach (var layout in new[] { FeatureLayout.Sparse, FeatureLayout.Auto, FeatureLayout.Dense })
        {
            var error = Assert.ThrowsExactly<ArgumentException>(() => ml.BinaryClassification.Trainers.DenseNetwork(Options(layout)).Fit(data));
            Assert.AreEqual("Column 'Features' has 2 training row(s) with NaN or infinite values (first: row 2, slot 42, value NaN); remove or replace them (e.g. mlContext.Transforms.ReplaceMissingValues) before training.", error.Message, layout.ToString());
        }
    }

    [TestMethod]
    public void Fit_RowOfAnotherWidth_SameErrorOnBothLayouts()
    {
        var ml = new MLContext(1);
        var rows = Enumerable.Range(0, 4).Select(i => new SparseRow { Features = new VBuffer<float>(i == 2 ? Width + 1 : Width, 1, new[] { 1f }, new[] { i }), Label = i % 2 == 0 }).ToList();
        var schema = SchemaDefinition.Create(typeof(SparseRow));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Width);
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        foreach (var layout in new[] { FeatureLayout.Sparse, FeatureLayout.Dense })
        {
            var error = Assert.ThrowsExactly<ArgumentException>(() => ml.BinaryClassification.Trainers.DenseNetwork(Options(layout)).Fit(data));
            Assert.AreEqual($"Column 'Features' row 2 has {Width + 1} values; the schema says {Width}.", error.Message, layout.ToString());
        }
    }
}

internal static class OptionsExtensions
{
    public static DenseNetworkOptions With(this DenseNetworkOptions options, Action<DenseNetworkOptions> change)
    {
        change(options);
        return options;
    }
}
