using Microsoft.ML;
using MlNetDeep.TestUtilities;

namespace MlNetDeep.Trainers.Tests;

[TestClass]
public sealed class ModelCheckpointTests
{
    private static string Folder()
    {
        var dir = Path.Combine(Path.GetTempPath(), "mlnetdeep-tests", "checkpoints-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    [TestMethod]
    public void SaveBestOnly_FileHoldsTheBestEpoch_AndLoadsInASeparateProcessWithItsPredictions()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.BinaryView(ml, 300, seed: 5);
        var folder = Folder();
        var path = Path.Combine(folder, "best.zip");
        var checkpoint = new ModelCheckpoint(path);
        var options = new DenseNetworkOptions
        {
            HiddenLayerSizes = new[] { 64, 64 },
            Epochs = 40,
            LearningRate = 0.01,
            ValidationFraction = 0.3,
            EarlyStopping = new EarlyStoppingOptions { Patience = 3, RestoreBestWeights = true },
            Seed = 1,
            Callbacks = { checkpoint },
        };

        var model = ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(data);

        Assert.IsLessThan(model.History.Count, model.History.BestEpoch!.Value, "validation loss bottomed before training stopped (later epochs were worse)");
        Assert.AreEqual(model.History.BestEpoch, checkpoint.LastSavedEpoch, "the last file written is the best epoch's");
        Assert.IsTrue(File.Exists(path));
        CollectionAssert.AreEqual(new[] { "best.zip" }, Directory.GetFiles(folder).Select(Path.GetFileName).ToArray(), "no partial file is left behind");
        var loaded = SeparateProcess.TransformWithLoadedModel(ml, path, data, out var loaderOutput);
        Assert.AreEqual("no-torchsharp-no-onnxruntime", loaderOutput);
        Assert.IsTrue(Columns.BitEqual(Columns.Scalars<float>(model.Transform(data), "Score"), Columns.Scalars<float>(loaded, "Score")),
            "the restored best weights and the best checkpoint score identically");

        var saved = DenseNetworkModel.FromTransformer(new MLContext().Model.Load(path, out _)).History!;
        Assert.HasCount(model.History.BestEpoch!.Value, saved);
        Assert.AreEqual($"checkpoint after epoch {model.History.BestEpoch} of 40", saved.StopReason);
        Directory.Delete(folder, recursive: true);
    }

    [TestMethod]
    public void EveryEpoch_WithEpochInThePath_WritesOneFilePerEpoch()
    {
        var ml = new MLContext(1);
        var folder = Folder();
        var options = new DenseNetworkOptions
        {
            Epochs = 3,
            Seed = 1,
            Callbacks = { new ModelCheckpoint(Path.Combine(folder, "model-{epoch}.zip")) { SaveBestOnly = false } },
        };

        ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(SyntheticData.BinaryView(ml, 60, 1));

        CollectionAssert.AreEquivalent(new[] { "model-1.zip", "model-2.zip", "model-3.zip" }, Directory.GetFiles(folder).Select(Path.GetFileName).ToArray());
        Directory.Delete(folder, recursive: true);
    }

    [TestMethod]
    public void MonitoringValidationLossWithoutValidationData_IsRefusedBeforeTraining()
    {
        var options = new DenseNetworkOptions { Callbacks = { new ModelCheckpoint("x.zip") } };

        var error = Assert.Throws<ArgumentException>(() => options.Validate());

        StringAssert.Contains(error.Message, "Invalid value for ModelCheckpoint.Monitor: expected a training metric");
    }
}
