namespace MlNetDeep.Evaluation.Tests;

/// <summary>The one-standard-error rule on scripted fold metrics: the band, the order of simplicity, both directions, and the edges.</summary>
[TestClass]
public sealed class OneStandardErrorRuleTests
{
    private static readonly ModelComplexity Large = new(100_000, 0, 0, 20);
    private static readonly ModelComplexity Small = new(1_000, 0, 0, 20);

    private static SelectionCandidate C(int id, ModelComplexity complexity, params double[] folds)
        => new(id, MetricSummary.FromValues("HeldOutLoss", folds), true, complexity);

    // mean 0.30, SD √(0.004 / 4) = 0.0316, SE = 0.0316 / √5 = 0.01414: the band is ≤ 0.31414
    private static readonly double[] BestFolds = { 0.30, 0.32, 0.34, 0.28, 0.26 };
    private static readonly double BestSe = Math.Sqrt(0.004 / 4) / Math.Sqrt(5);

    [TestMethod]
    public void LowerIsBetter_SimplerModelWithinOneStandardError_IsChosenOverTheBestMean()
    {
        var best = C(1, Large, BestFolds);
        var within = C(2, Small, 0.31, 0.33, 0.35, 0.29, 0.27);        // mean 0.31
        var outside = C(3, new(10, 0, 0, 20), 0.32, 0.34, 0.36, 0.30, 0.28); // mean 0.32: simplest of all, but outside

        var choice = OneStandardErrorRule.Choose(new[] { best, within, outside }, higherIsBetter: false);

        Assert.AreSame(best, choice.BestMean);
        Assert.AreSame(within, choice.Chosen);
        Assert.AreEqual(BestSe, choice.StandardError, 1e-12);
        Assert.AreEqual(0.30 + BestSe, choice.Bound, 1e-12);
        Assert.AreEqual("candidate 1 has the best mean, 0.3; one standard error is 0.0316 / √5 = 0.0141, so the band is ≤ 0.3141; of the 2 candidates within it (1, 2), candidate 2 is the simplest (1,000 parameters, dropout 0, L2 0, 20 epochs vs 100,000 parameters, dropout 0, L2 0, 20 epochs) at 0.31: the folds cannot tell it from the best", choice.Reason);
    }

    [TestMethod]
    public void LowerIsBetter_SimplerModelJustOutsideTheBand_LosesToTheBestMean()
    {
        var best = C(1, Large, BestFolds);
        double outside = 0.30 + BestSe + 1e-6;
        var simpler = C(2, Small, Enumerable.Repeat(outside, 5).ToArray());

        var choice = OneStandardErrorRule.Choose(new[] { simpler, best }, higherIsBetter: false);

        Assert.AreSame(best, choice.Chosen);
        Assert.AreSame(best, choice.BestMean);
        StringAssert.EndsWith(choice.Reason, "no other candidate is within it");
    }

    [TestMethod]
    public void HigherIsBetter_BandLiesBelowTheBestMean()
    {
        // accuracies: the best mean is the highest; the same numbers read as losses would pick the other end
        var best = C(1, Large, 0.90, 0.92, 0.94, 0.88, 0.86);          // mean 0.90, SE 0.01414
        var within = C(2, Small, 0.89, 0.91, 0.93, 0.87, 0.85);        // mean 0.89
        var outside = C(3, new(10, 0, 0, 20), 0.88, 0.90, 0.92, 0.86, 0.84); // mean 0.88

        var accuracy = OneStandardErrorRule.Choose(new[] { best, within, outside }, higherIsBetter: true);
        Assert.AreSame(best, accuracy.BestMean);
        Assert.AreSame(within, accuracy.Chosen);
        Assert.AreEqual(0.90 - BestSe, accuracy.Bound, 1e-12);
        StringAssert.Contains(accuracy.Reason, "so the band is ≥ 0.8859");

        var asLoss = OneStandardErrorRule.Choose(new[] { best, within, outside }, higherIsBetter: false);
        Assert.AreSame(outside, asLoss.BestMean, "lower is better: 0.88 is the best mean");
        Assert.AreSame(outside, asLoss.Chosen, "and the simplest");
    }

    [TestMethod]
    public void RegressionRmse_LowerIsBetter_LargerModelWinsOnlyBeyondTheNoise()
    {
        // RMSE over 5 folds × 2 repeats: SE = SD / √10
        var deep = C(1, new(200_000, 0, 0, 30), 2.0, 2.2, 1.8, 2.1, 1.9, 2.0, 2.2, 1.8, 2.1, 1.9); // mean 2.0
        var shallow = C(2, new(5_000, 0, 0, 30), 2.4, 2.6, 2.2, 2.5, 2.3, 2.4, 2.6, 2.2, 2.5, 2.3); // mean 2.4
        var choice = OneStandardErrorRule.Choose(new[] { shallow, deep }, higherIsBetter: false);
        double se = deep.Metric.StandardDeviation / Math.Sqrt(10);
        Assert.AreEqual(se, choice.StandardError, 1e-12);
        Assert.AreSame(deep, choice.Chosen, "2.4 is far outside 2.0 + " + se);

        var close = C(3, new(5_000, 0, 0, 30), 2.0, 2.2, 1.8, 2.1, 1.9, 2.0, 2.2, 1.8, 2.1, 2.0); // mean 2.01
        Assert.AreSame(close, OneStandardErrorRule.Choose(new[] { deep, close }, higherIsBetter: false).Chosen);
    }

    [TestMethod]
    public void Ties_EqualMeansAndEqualComplexity_GoToTheEarlierCandidate_EqualMeans_ToTheSimpler()
    {
        var a = C(4, Large, BestFolds);
        var b = C(2, Large, BestFolds);
        var choice = OneStandardErrorRule.Choose(new[] { a, b }, higherIsBetter: false);
        Assert.AreSame(b, choice.BestMean, "a tie in the mean goes to the lower id");
        Assert.AreSame(b, choice.Chosen);
        StringAssert.Contains(choice.Reason, "it is also the simplest");

        var simple = C(9, Small, BestFolds);
        var tied = OneStandardErrorRule.Choose(new[] { a, b, simple }, higherIsBetter: false);
        Assert.AreSame(b, tied.BestMean);
        Assert.AreSame(simple, tied.Chosen);
    }

    [TestMethod]
    public void OneFold_NoStandardError_OnlyAnEqualMeanTies()
    {
        var best = C(1, Large, 0.30);
        var slightly = C(2, Small, 0.3000001);
        var choice = OneStandardErrorRule.Choose(new[] { best, slightly }, higherIsBetter: false);
        Assert.IsTrue(double.IsNaN(choice.StandardError));
        Assert.AreEqual(0.30, choice.Bound);
        Assert.AreSame(best, choice.Chosen);
        StringAssert.Contains(choice.Reason, "with 1 fold value it has no standard error, so only an equal mean ties with it");

        var equal = C(3, Small, 0.30);
        Assert.AreSame(equal, OneStandardErrorRule.Choose(new[] { best, slightly, equal }, higherIsBetter: false).Chosen);
    }

    [TestMethod]
    public void ZeroStandardDeviation_BandIsTheBestMeanItself()
    {
        var best = C(1, Large, 0.25, 0.25, 0.25);
        var worse = C(2, Small, 0.2500001, 0.2500001, 0.2500001);
        var choice = OneStandardErrorRule.Choose(new[] { best, worse }, higherIsBetter: false);
        Assert.AreEqual(0, choice.StandardError);
        Assert.AreSame(best, choice.Chosen);

        var same = C(3, Small, 0.25, 0.25, 0.25);
        Assert.AreSame(same, OneStandardErrorRule.Choose(new[] { best, worse, same }, higherIsBetter: false).Chosen);
    }

    [TestMethod]
    public void Simplicity_ParametersThenDropoutThenL2ThenEpochsKept()
    {
        SelectionCandidate With(int id, ModelComplexity c) => C(id, c, BestFolds);
        var plain = With(1, new(5_000, 0, 0, 20));
        var l2 = With(2, new(5_000, 0, 1e-3, 20));
        var dropout = With(3, new(5_000, 0.5, 0, 20));
        var dropoutL2 = With(4, new(5_000, 0.5, 1e-4, 20));
        var early = With(5, new(5_000, 0, 0, 8));
        var fewer = With(6, new(4_999, 0, 0, 20));

        SelectionCandidate Pick(params SelectionCandidate[] cs) => OneStandardErrorRule.Choose(cs, higherIsBetter: false).Chosen;
        Assert.AreSame(fewer, Pick(plain, l2, dropout, dropoutL2, early, fewer), "fewer parameters first");
        Assert.AreSame(dropoutL2, Pick(plain, l2, dropout, dropoutL2, early), "then the higher dropout, then the stronger L2");
        Assert.AreSame(l2, Pick(plain, l2, early), "then the stronger L2");
        Assert.AreSame(early, Pick(plain, early), "then the earlier stop");
    }

    [TestMethod]
    public void IncompleteOrNonFiniteCandidates_AreNeverChosen()
    {
        var best = C(1, Large, BestFolds);
        var nan = C(2, new(10, 0, 0, 1), double.NaN, double.NaN);
        var incomplete = new SelectionCandidate(3, MetricSummary.FromValues("HeldOutLoss", new[] { 0.1 }), false, new(10, 0, 0, 1));
        var infinite = C(4, new(10, 0, 0, 1), double.PositiveInfinity, 0.3);
        var choice = OneStandardErrorRule.Choose(new[] { nan, incomplete, infinite, best }, higherIsBetter: false);
        Assert.AreSame(best, choice.BestMean);
        Assert.AreSame(best, choice.Chosen);

        var none = OneStandardErrorRule.Choose(new[] { nan, incomplete }, higherIsBetter: false);
        Assert.AreSame(nan, none.Chosen);
        Assert.AreEqual("no candidate has a finite mean over all its folds; candidate 2 is kept", none.Reason);
    }

    [TestMethod]
    public void NoCandidates_Throws()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => OneStandardErrorRule.Choose(Array.Empty<SelectionCandidate>(), higherIsBetter: false));
        StringAssert.StartsWith(error.Message, "Invalid value for candidates: expected at least one candidate. Received: an empty list.");
    }

    [TestMethod]
    public void Complexity_CountsWeightsAndBiasesLikeTheTrainedNetwork()
    {
        var options = new DenseNetworkOptions { HiddenLayerSizes = new[] { 64, 32 }, DropoutRate = 0.2, L2Regularization = 1e-4 };
        var c = TuningSearch.Complexity(options, 12, inputSize: 10, outputs: 3);
        Assert.AreEqual((10 + 1) * 64 + (64 + 1) * 32 + (32 + 1) * 3L, c.Parameters);
        Assert.AreEqual(new ModelComplexity(2883, 0.2, 1e-4, 12), c);
    }
}
