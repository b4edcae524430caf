using Microsoft.ML;
using MlNetDeep.TestUtilities;

namespace MlNetDeep.Trainers.Tests;

/// <summary>
/// The everyday ways ML.NET users hold a model: a PredictionEngine in a <c>using</c> (ML.NET disposes the
/// transformers it was given), engines on several threads, and a machine's temp folder left as it was found.
/// </summary>
[TestClass]
public sealed class PredictionEngineLifetimeTests
{
    [TestMethod]
    public void DisposingAPredictionEngine_LeavesFittedAndLoadedModelsWorking()
    {
        var ml = new MLContext(1);
        var rows = SyntheticData.Binary(60, seed: 3);
        var data = ml.Data.LoadFromEnumerable(rows);
        var fitted = ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions { HiddenLayerSizes = new[] { 8 }, Epochs = 2, Seed = 1 }).Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(fitted, data.Schema, stream);
        stream.Position = 0;
        var loaded = new MLContext().Model.Load(stream, out _);

        foreach (var model in new ITransformer[] { fitted, loaded })
        {
            float first, second;
            using (var engine = ml.Model.CreatePredictionEngine<BinaryRow, BinaryPrediction>(model))
                first = engine.Predict(rows[0]).Score;
            using (var engine = ml.Model.CreatePredictionEngine<BinaryRow, BinaryPrediction>(model))
                second = engine.Predict(rows[0]).Score;

            Assert.AreEqual(first, second, "a second engine over the same model scores the same row the same way");
            Assert.AreEqual(first, Columns.Scalars<float>(model.Transform(data), "Score")[0], "model.Transform still works after two disposed engines");
        }
    }

    [TestMethod]
    public void DisposingAPredictionEngine_MulticlassAndRegressionPipelinesKeepWorking()
    {
        var ml = new MLContext(1);
        var multiRows = SyntheticData.Multiclass(90, seed: 1);
        var multiData = ml.Data.LoadFromEnumerable(multiRows);
        var multi = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.DenseNetwork(new DenseNetworkOptions { HiddenLayerSizes = new[] { 8 }, Epochs = 2, Seed = 1 }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabelValue", "PredictedLabel"))
            .Fit(multiData);
        var regRows = SyntheticData.Regression(60, seed: 1);
        var regression = ml.Regression.Trainers.DenseNetwork(new DenseNetworkOptions { Epochs = 2, Seed = 1 }).Fit(ml.Data.LoadFromEnumerable(regRows));

        for (int round = 0; round < 3; round++)
        {
            using (var engine = ml.Model.CreatePredictionEngine<MulticlassRow, MulticlassPrediction>(multi))
                Assert.IsFalse(string.IsNullOrEmpty(engine.Predict(multiRows[round]).PredictedLabelValue));
            using (var engine = ml.Model.CreatePredictionEngine<RegressionRow, RegressionPrediction>(regression))
                Assert.IsTrue(float.IsFinite(engine.Predict(regRows[round]).Score));
        }
    }

    [TestMethod]
    public void EnginePerThread_GivesTheSequentialScores_AndASharedEngineNeverCrashesTheProcess()
    {
        var ml = new MLContext(1);
        var rows = SyntheticData.Binary(200, seed: 4);
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions { HiddenLayerSizes = new[] { 32, 16 }, Epochs = 2, Seed = 1 }).Fit(data);
        var expected = Columns.Scalars<float>(model.Transform(data), "Score");

        // the supported pattern: one engine per thread (what PredictionEnginePool does)
        var perThread = new float[8][];
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
        {
            using var engine = ml.Model.CreatePredictionEngine<BinaryRow, BinaryPrediction>(model);
            perThread[t] = rows.Select(r => engine.Predict(r).Score).ToArray();
        });
        foreach (var scores in perThread)
            CollectionAssert.AreEqual(expected, scores);

        // the misuse ML.NET documents against: one engine shared by 8 threads. Managed scoring can give wrong
        // values or throw here, but it must never corrupt native memory (it used to kill the process).
        using var shared = ml.Model.CreatePredictionEngine<BinaryRow, BinaryPrediction>(model);
        int errors = 0;
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            for (int i = 0; i < 500; i++)
            {
                try
                {
                    shared.Predict(rows[(i + t) % rows.Count]);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Console.WriteLine($"shared engine: {errors} of 4000 calls threw");

        using var after = ml.Model.CreatePredictionEngine<BinaryRow, BinaryPrediction>(model);
        Assert.AreEqual(expected[5], after.Predict(rows[5]).Score, "the model is intact after the misuse");
    }

    [TestMethod]
    public void FitSaveLoadPredict_LeaveNothingInTheTempFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "mlnetdeep-tmp-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var previous = Environment.GetEnvironmentVariable("TMPDIR");
        var modelPath = Path.Combine(Path.GetTempPath(), "mlnetdeep-model-" + Guid.NewGuid().ToString("N") + ".zip");
        try
        {
            Environment.SetEnvironmentVariable("TMPDIR", folder);
            Assert.AreEqual(Path.GetFullPath(folder + "/"), Path.GetFullPath(Path.GetTempPath()), "the test redirects the temp folder");

            var ml = new MLContext(1);
            var rows = SyntheticData.Multiclass(90, seed: 2);
            var data = ml.Data.LoadFromEnumerable(rows);
            var model = ml.Transforms.Conversion.MapValueToKey("Label")
                .Append(ml.MulticlassClassification.Trainers.DenseNetwork(new DenseNetworkOptions { Epochs = 2, Seed = 1 }))
                .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabelValue", "PredictedLabel"))
                .Fit(data);
            ml.Model.Save(model, data.Schema, modelPath);
            var loaded = new MLContext().Model.Load(modelPath, out _);
            using (var engine = ml.Model.CreatePredictionEngine<MulticlassRow, MulticlassPrediction>(loaded))
                engine.Predict(rows[0]);
            loaded.Transform(data).Preview();

            Assert.IsEmpty(Directory.GetFileSystemEntries(folder), "Fit, Save, Load and scoring write nothing to the temp folder");
        }
        finally
        {
            Environment.SetEnvironmentVariable("TMPDIR", previous);
            Directory.Delete(folder, recursive: true);
            File.Delete(modelPath);
        }
    }
}
