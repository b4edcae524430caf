namespace MlNetDeep.Evaluation.Tests;

/// <summary>
/// The climb's "a larger model still does better": at least <see cref="TuningSearch.MinimumClimbGain"/> (5%) below the
/// smaller models' best. The full-corpus behaviour (the climb stopping at {64} on the spam mails) is in the samples' tests.
/// </summary>
[TestClass]
public sealed class ClimbGainTests
{
    [TestMethod]
    [DataRow(0.0940, 0.1, true)]   // 6% lower
    [DataRow(0.0951, 0.1, false)]  // 4.9% lower: within the folds' noise
    [DataRow(0.05411, 0.05485, false)] // {64} vs {16} on the spam corpus, early-stopped validation loss: 1.3%
    [DataRow(0.6525, 0.7316, true)]    // {256, 256} vs {64} on 400 images: 10.8%
    [DataRow(0.1, 0.1, false)]
    [DataRow(0.11, 0.1, false)]
    public void Gains_NeedsAtLeastFivePercentBelowTheSmallerModels(double loss, double before, bool expected)
        => Assert.AreEqual(expected, TuningSearch.Gains(loss, before));

    [TestMethod]
    public void Gains_IsFalseForANonFiniteLoss_AndTrueAgainstAnInfiniteBefore()
    {
        Assert.IsFalse(TuningSearch.Gains(double.NaN, 0.1));
        Assert.IsFalse(TuningSearch.Gains(double.PositiveInfinity, 0.1));
        Assert.IsTrue(TuningSearch.Gains(0.1, double.PositiveInfinity), "a first finite loss after diverged models is a gain");
    }
}
