using MlNetDeep.Samples.Experiments.Lab;

namespace MlNetDeep.Samples.Tests;

[TestClass]
public sealed class PlateauCheckpointExperimentTests
{
    [TestMethod]
    public void Run_TinyBudget_CheckpointLoadedBackIsTheBestEpochAndTheFigureHasTwoPanels()
    {
        using var dir = new TempDirectory();

        var result = TinyLabRun.Run("plateau-checkpoint", dir.Path);

        var n = result.Numbers;
        Assert.AreEqual(n["plateau_best_val_epoch"], n["checkpoint_epoch"], result.Verdict);
        Assert.AreEqual(100, n["test_rows"]);
        Assert.AreEqual(n["test_rows"], n["checkpoint_equal_test_probabilities"], result.Verdict);
        Assert.AreEqual(0, n["checkpoint_max_abs_difference"]);
        // two epochs never reach patience 2: no cut, and the run equals the constant-rate one epoch for epoch
        Assert.AreEqual(0, n["cuts"]);
        Assert.AreEqual(2, n["epochs_identical_to_constant_run"]);
        Assert.AreEqual(n["constant_best_val_loss"], n["plateau_best_val_loss"]);
        Assert.AreEqual(n["constant_checkpoint_test_bce"], n["plateau_checkpoint_test_bce"]);
        StringAssert.Contains(result.Verdict, "never cut the rate");
        Assert.IsTrue(File.Exists(dir.Combine("plateau-checkpoint-plateau-best.zip")));
        Assert.IsTrue(File.Exists(dir.Combine("plateau-checkpoint-constant-best.zip")));
        var figure = result.Figures.Single();
        Assert.AreEqual((800, 2 * 420), TinyLabRun.PngSize(figure), "learning curve above the learning rate");
    }

    [TestMethod]
    public void RateCuts_ScriptedRates_EpochBeforeEachDrop()
    {
        double floor = 1e-3 * 0.1 * 0.1 * 0.1; // 1.0000000000000002e-6: the callback "cuts" it to 1e-6 once more
        var history = History(1e-3, 1e-3, 1e-4, 1e-4, 1e-5, 1e-5, floor, floor, 1e-6, 1e-6);

        CollectionAssert.AreEqual(new[] { 2, 4, 6 }, PlateauCheckpointExperiment.RateCuts(history), "a drop by a rounding error is not a cut");
        Assert.IsEmpty(PlateauCheckpointExperiment.RateCuts(History(1e-3)));
        Assert.IsEmpty(PlateauCheckpointExperiment.RateCuts(History()));
    }

    private static TrainingHistory History(params double[] rates) =>
        new(rates.Select((rate, i) => new EpochMetrics { Epoch = i + 1, Loss = 1, LearningRate = rate }));
}
