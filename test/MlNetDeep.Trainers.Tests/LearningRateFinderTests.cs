using Microsoft.ML;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetDeep.Trainers.Tests;

[TestClass]
public sealed class LearningRateFinderTests
{
    [TestMethod]
    public void FindLearningRate_RatesRiseExponentiallyAndTheTestStopsWhenTheLossExplodes()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.MulticlassView(ml, 2000, seed: 1);
        var result = ml.MulticlassClassification.Trainers.DenseNetwork(new DenseNetworkOptions { Seed = 1, BatchSize = 32 }).FindLearningRate(data);

        Assert.AreEqual(1e-7, result.LearningRates[0], 1e-20);
        double growth = Math.Pow(10 / 1e-7, 1.0 / 99);
        for (int i = 1; i < result.LearningRates.Count; i++)
            Assert.AreEqual(growth, result.LearningRates[i] / result.LearningRates[i - 1], 1e-9);
        Assert.IsLessThan(100, result.LearningRates.Count, $"RMSprop at rates up to 10 explodes before the last step: {result}");
        StringAssert.Contains(result.StopReason, "its best at rate");
        Assert.HasCount(result.LearningRates.Count, result.Losses);
        Assert.HasCount(result.LearningRates.Count, result.RawLosses);

        // the suggestion is the steepest fall of the smoothed curve before its minimum, and the curve went below its start
        int minimum = Enumerable.Range(0, result.Losses.Count).Where(i => double.IsFinite(result.Losses[i])).MinBy(i => result.Losses[i]);
        Assert.AreEqual(result.LearningRates[minimum], result.MinimumLossLearningRate);
        int steepest = Enumerable.Range(1, minimum - 1).MinBy(i => (result.Losses[i + 1] - result.Losses[i - 1]) / Math.Log(result.LearningRates[i + 1] / result.LearningRates[i - 1]));
        Assert.AreEqual(result.LearningRates[steepest], result.SuggestedLearningRate);
        Assert.IsLessThan(result.MinimumLossLearningRate, result.SuggestedLearningRate);
        Assert.IsLessThan(result.Losses[0] * 0.8, result.Losses[minimum]);
        Assert.IsTrue(result.SuggestedLearningRate is > 1e-5 and < 1, result.ToString());
    }

    [TestMethod]
    public void FindLearningRate_SuggestedRateTrainsWell()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.BinaryView(ml, 1000, seed: 1);
        var test = SyntheticData.BinaryView(ml, 500, seed: 2);
        var options = new DenseNetworkOptions { Seed = 1, Epochs = 10, BatchSize = 32 };
        var found = ml.BinaryClassification.Trainers.DenseNetwork(options).FindLearningRate(data);

        options.LearningRate = found.SuggestedLearningRate;
        var model = ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(data);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(test));
        Assert.IsGreaterThan(0.9, metrics.Accuracy, found.ToString());
    }

    [TestMethod]
    public void FindLearningRate_IsDeterministicWithASeedAndLeavesNothingBehind()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.RegressionView(ml, 500, seed: 1);
        var options = new DenseNetworkOptions { Seed = 7, BatchSize = 16 };
        var trainer = ml.Regression.Trainers.DenseNetwork(options);
        trainer.FindLearningRate(data); // warm-up: libtorch's one-time allocations
        int threads = torch.get_num_threads();
        long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        var first = trainer.FindLearningRate(data, new LearningRateFinderOptions { MinLearningRate = 1e-5, MaxLearningRate = 1, Steps = 40 });
        var second = trainer.FindLearningRate(data, new LearningRateFinderOptions { MinLearningRate = 1e-5, MaxLearningRate = 1, Steps = 40 });

        CollectionAssert.AreEqual(first.RawLosses.ToArray(), second.RawLosses.ToArray());
        Assert.AreEqual(first.SuggestedLearningRate, second.SuggestedLearningRate);
        Assert.AreEqual(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount, "every tensor is released");
        Assert.AreEqual(threads, torch.get_num_threads());
        Assert.AreEqual(1e-3, options.LearningRate, "the caller's options are not written");
        var fitted = trainer.Fit(data);
        var fresh = ml.Regression.Trainers.DenseNetwork(new DenseNetworkOptions { Seed = 7, BatchSize = 16 }).Fit(data);
        Assert.AreEqual(fresh.History[^1].Loss, fitted.History[^1].Loss, "Fit after the finder starts from scratch");
    }

    [TestMethod]
    public void FindLearningRate_InvalidOptions_ListEveryProblem()
    {
        var ml = new MLContext(1);
        var trainer = ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions { Seed = 1 });
        var data = SyntheticData.BinaryView(ml, 50, seed: 1);
        var e = Assert.ThrowsExactly<ArgumentException>(() => trainer.FindLearningRate(data, new LearningRateFinderOptions { MinLearningRate = 0, Steps = 1, Smoothing = 1 }));
        StringAssert.Contains(e.Message, "Invalid LearningRateFinderOptions: 3 problem(s).");
        StringAssert.Contains(e.Message, "Invalid value for MinLearningRate: expected a finite number > 0. Received: MinLearningRate=0.");
        StringAssert.Contains(e.Message, "Invalid value for Steps: expected an integer >= 2. Received: Steps=1.");
        Assert.ThrowsExactly<ArgumentNullException>(() => trainer.FindLearningRate(data, null!));
    }
}
