using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlNetDeep.TestUtilities;
using MlNetDeep.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetDeep.Trainers.Tests;

[TestClass]
public sealed class PersistenceTests
{
    public TestContext TestContext { get; set; } = null!;

    private string ModelPath(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "mlnetdeep-tests", "models");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, $"{name}-{Guid.NewGuid():N}.zip");
    }

    private static DenseNetworkOptions Options() => new() { HiddenLayerSizes = new[] { 16, 8 }, Activation = Activation.Gelu, Epochs = 3, Seed = 1 };

    [TestMethod]
    public void SaveLoad_Binary_SeparateProcessGivesBitIdenticalPredictions()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.BinaryView(ml, 200, seed: 1);
        var model = ml.BinaryClassification.Trainers.DenseNetwork(Options()).Fit(data);
        var path = ModelPath("binary");
        ml.Model.Save(model, data.Schema, path);

        var loaded = SeparateProcess.TransformWithLoadedModel(ml, path, data, out var loaderOutput);
        var here = model.Transform(data);

        Assert.AreEqual("no-torchsharp-no-onnxruntime", loaderOutput, "a saved model needs ML.NET and MlNetDeep.Core only");
        foreach (var column in new[] { "Score", "Probability" })
            Assert.IsTrue(Columns.BitEqual(Columns.Scalars<float>(here, column), Columns.Scalars<float>(loaded, column)), column);
        CollectionAssert.AreEqual(Columns.Scalars<bool>(here, "PredictedLabel"), Columns.Scalars<bool>(loaded, "PredictedLabel"));
        Assert.AreEqual(ml.BinaryClassification.Evaluate(here).Accuracy, ml.BinaryClassification.Evaluate(loaded).Accuracy);
    }

    [TestMethod]
    public void SaveLoad_MulticlassPipeline_SeparateProcessGivesBitIdenticalPredictions()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.Multiclass(300, seed: 1));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.DenseNetwork(Options()))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabelValue", "PredictedLabel"));
        var model = pipeline.Fit(data);
        var path = ModelPath("multiclass");
        ml.Model.Save(model, data.Schema, path);

        var loaded = SeparateProcess.TransformWithLoadedModel(ml, path, data, out _);
        var here = model.Transform(data);

        var a = Columns.Vectors(here, "Score");
        var b = Columns.Vectors(loaded, "Score");
        for (int i = 0; i < a.Length; i++)
            Assert.IsTrue(Columns.BitEqual(a[i], b[i]), $"row {i}");
        CollectionAssert.AreEqual(Columns.Scalars<uint>(here, "PredictedLabel"), Columns.Scalars<uint>(loaded, "PredictedLabel"));
        CollectionAssert.AreEqual(
            Columns.Scalars<ReadOnlyMemory<char>>(here, "PredictedLabelValue").Select(v => v.ToString()).ToArray(),
            Columns.Scalars<ReadOnlyMemory<char>>(loaded, "PredictedLabelValue").Select(v => v.ToString()).ToArray());
        Assert.AreEqual(ml.MulticlassClassification.Evaluate(here).MicroAccuracy, ml.MulticlassClassification.Evaluate(loaded).MicroAccuracy);
    }

    [TestMethod]
    public void SaveLoad_Regression_SeparateProcessGivesBitIdenticalPredictions()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.RegressionView(ml, 200, seed: 1);
        var model = ml.Regression.Trainers.DenseNetwork(Options()).Fit(data);
        var path = ModelPath("regression");
        ml.Model.Save(model, data.Schema, path);

        var loaded = SeparateProcess.TransformWithLoadedModel(ml, path, data, out _);

        Assert.IsTrue(Columns.BitEqual(Columns.Scalars<float>(model.Transform(data), "Score"), Columns.Scalars<float>(loaded, "Score")));
    }

    [TestMethod]
    public void SaveLoad_SameProcessPredictionEngine_SameScores()
    {
        var ml = new MLContext(1);
        var rows = SyntheticData.Binary(50, seed: 2);
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.BinaryClassification.Trainers.DenseNetwork(Options()).Fit(data);
        var path = ModelPath("engine");
        ml.Model.Save(model, data.Schema, path);

        var loaded = new MLContext().Model.Load(path, out var inputSchema);
        var before = ml.Model.CreatePredictionEngine<BinaryRow, BinaryPrediction>(model);
        var after = ml.Model.CreatePredictionEngine<BinaryRow, BinaryPrediction>(loaded);

        Assert.IsNotNull(inputSchema.GetColumnOrNull("Features"));
        foreach (var row in rows.Take(10))
            Assert.AreEqual(before.Predict(row).Score, after.Predict(row).Score);
    }

    [TestMethod]
    public void Load_TruncatedOrCorruptZip_ThrowsInsteadOfCrashing()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.BinaryView(ml, 100, seed: 1);
        var model = ml.BinaryClassification.Trainers.DenseNetwork(Options()).Fit(data);
        var path = ModelPath("corrupt");
        ml.Model.Save(model, data.Schema, path);
        var bytes = File.ReadAllBytes(path);

        var truncated = ModelPath("truncated");
        File.WriteAllBytes(truncated, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        var garbage = ModelPath("garbage");
        var flipped = (byte[])bytes.Clone();
        for (int i = 100; i < flipped.Length - 100; i += 7)
            flipped[i] ^= 0x5A;
        File.WriteAllBytes(garbage, flipped);

        foreach (var bad in new[] { truncated, garbage })
        {
            var error = Assert.Throws<Exception>(() => new MLContext().Model.Load(bad, out _).Transform(data).Preview(), $"loading {Path.GetFileName(bad)}");
            Assert.IsFalse(string.IsNullOrWhiteSpace(error.Message));
        }
    }

    [TestMethod]
    public void ExportOnnx_EveryTaskAndActivation_MatchesLibTorchForward()
    {
        var ml = new MLContext(1);
        var random = new Random(3);
        var input = Enumerable.Range(0, 5 * 4).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        foreach (var activation in Enum.GetValues<Activation>())
        {
            var options = new DenseNetworkOptions { HiddenLayerSizes = new[] { 12, 6 }, Activation = activation, Epochs = 2, Seed = 2 };
            var models = new DenseNetworkTransformer[]
            {
                ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(SyntheticData.BinaryView(ml, 100, 1)),
                ml.MulticlassClassification.Trainers.DenseNetwork(options).Fit(SyntheticData.MulticlassView(ml, 100, 1)),
                ml.Regression.Trainers.DenseNetwork(options).Fit(SyntheticData.RegressionView(ml, 100, 1)),
            };
            foreach (var model in models)
            {
                using var stream = new MemoryStream();
                model.ExportOnnx(stream);
                using var session = new InferenceSession(stream.ToArray());
                using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("features", new DenseTensor<float>(input, new[] { 5, 4 })) });
                var onnxLogits = results.First(r => r.Name is "logits" or "prediction").AsEnumerable<float>().ToArray();

                using var generator = new Generator(1, CPU);
                using var module = DenseNetworkModule.FromModel(model.Model, 0, generator);
                module.eval();
                using var x = tensor(input, new long[] { 5, 4 });
                using var torchLogits = module.forward(x);
                var expected = torchLogits.data<float>().ToArray();

                Assert.HasCount(expected.Length, onnxLogits);
                for (int i = 0; i < expected.Length; i++)
                    Assert.AreEqual(expected[i], onnxLogits[i], 1e-5f, $"{activation} {model.Model.OutputSize} outputs, value {i}");
            }
        }
    }

    [TestMethod]
    public void PermutationFeatureImportance_BeforeSaving_FindsTheInformativeSlots()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.BinaryView(ml, 600, seed: 1);
        var model = ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions { HiddenLayerSizes = new[] { 32 }, Epochs = 20, Seed = 1 }).Fit(data);

        var importance = ml.BinaryClassification.PermutationFeatureImportance(model, model.Transform(data), permutationCount: 2);

        // label = x0 + x1² − 1 > 0: slots 0 and 1 matter, 2 and 3 do not
        var drop = importance.Select(m => -m.AreaUnderRocCurve.Mean).ToArray();
        Assert.IsGreaterThan(0.05, drop[0]);
        Assert.IsGreaterThan(0.05, drop[1]);
        Assert.IsLessThan(0.02, Math.Abs(drop[2]));
        Assert.IsLessThan(0.02, Math.Abs(drop[3]));
    }
}
