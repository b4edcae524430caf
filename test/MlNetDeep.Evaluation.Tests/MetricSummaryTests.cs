namespace MlNetDeep.Evaluation.Tests;

[TestClass]
public sealed class MetricSummaryTests
{
    [TestMethod]
    public void ToString_OneValue_ShowsNoSpread()
    {
        string text = MetricSummary.FromValues("Accuracy", new[] { 0.8 }).ToString();
        Assert.AreEqual("Accuracy: 0.8000 (n = 1: no spread to show)", text);
        StringAssert.Contains(MetricSummary.FromValues("Accuracy", new[] { 0.8, 0.9 }).ToString(), "0.8500 ± 0.0707");
    }

    [TestMethod]
    [DataRow(1, 12.706204736174707)]
    [DataRow(2, 4.302652729749464)]
    [DataRow(4, 2.7764451051977934)]
    [DataRow(9, 2.2621571628540993)]
    [DataRow(29, 2.045229642132703)]
    [DataRow(1000, 1.9623390808264078)]
    public void StudentT_Quantile975_MatchesTables(int degreesOfFreedom, double expected)
        => Assert.AreEqual(expected, StudentT.Quantile(0.975, degreesOfFreedom), 1e-9);

    [TestMethod]
    public void FromValues_FiveValues_EqualsHandComputedMeanSdAndStudentTInterval()
    {
        var s = MetricSummary.FromValues("Accuracy", new[] { 0.80, 0.85, 0.90, 0.75, 0.95 });
        double sd = Math.Sqrt((0.0025 + 0 + 0.0025 + 0.01 + 0.01) / 4);
        Assert.AreEqual(0.85, s.Mean, 1e-12);
        Assert.AreEqual(sd, s.StandardDeviation, 1e-12);
        Assert.AreEqual(2.7764451051977934 * sd / Math.Sqrt(5), s.HalfWidth, 1e-10);
        Assert.AreEqual(0.85 - s.HalfWidth, s.ConfidenceIntervalLower, 1e-15);
        Assert.AreEqual(5, s.Count);
        Assert.AreEqual(0.95, s.ConfidenceLevel);
        Assert.AreEqual("Accuracy: 0.8500 ± 0.0791 (95% CI [0.7518, 0.9482], n = 5)", s.ToString());
    }

    [TestMethod]
    public void FromValues_NaNSkipped_SingleValueHasNoSpread()
    {
        var s = MetricSummary.FromValues("AUC", new[] { double.NaN, 0.7 });
        Assert.AreEqual(1, s.Count);
        Assert.AreEqual(0.7, s.Mean);
        Assert.IsTrue(double.IsNaN(s.StandardDeviation));
        Assert.IsTrue(double.IsNaN(s.ConfidenceIntervalUpper));
        Assert.IsTrue(double.IsNaN(MetricSummary.FromValues("x", Array.Empty<double>()).Mean));
    }

    [TestMethod]
    public void FromValues_ConfidenceLevel99_UsesTheMatchingQuantile()
    {
        var s = MetricSummary.FromValues("x", new[] { 1.0, 2.0, 3.0 }, confidenceLevel: 0.99);
        Assert.AreEqual(9.924843200918276 * 1.0 / Math.Sqrt(3), s.HalfWidth, 1e-9);
    }

    [TestMethod]
    [DataRow(0.0)]
    [DataRow(1.0)]
    [DataRow(double.NaN)]
    public void FromValues_BadConfidenceLevel_Throws(double level)
    {
        var ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MetricSummary.FromValues("x", new[] { 1.0 }, level));
        StringAssert.StartsWith(ex.Message, "Invalid value for confidenceLevel: expected a value in (0, 1). Received: confidenceLevel=");
    }
}
