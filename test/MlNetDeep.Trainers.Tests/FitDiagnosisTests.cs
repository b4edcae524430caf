using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MlNetDeep.Trainers.Tests;

/// <summary>
/// Scripted histories, one per stage of the lecture's workflow, plus noisy curves that must not flip the verdict.
/// Real runs (the lab's experiments) are diagnosed in the Samples tests.
/// </summary>
[TestClass]
public sealed class FitDiagnosisTests
{
    private static TrainingHistory History(double[] loss, double[]? val = null, double? baseline = null, double? rate = 1e-3)
    {
        var epochs = loss.Select((l, i) => new EpochMetrics { Epoch = i + 1, Loss = l, ValidationLoss = val?[i], LearningRate = rate });
        return new TrainingHistory(epochs) { BaselineLoss = baseline };
    }

    [TestMethod]
    public void Diagnose_NonFiniteLoss_IsDiverged()
    {
        var d = History(new[] { 0.7, 0.5, double.NaN }, new[] { 0.7, 0.6, double.NaN }, 0.69).Diagnose();
        Assert.AreEqual(FitVerdict.Diverged, d.Verdict);
        StringAssert.Contains(d.Evidence[0], "NaN in epoch 3");
        StringAssert.Contains(d.Advice[0], "LearningRate: lower it 10×, to 0.0001");
    }

    [TestMethod]
    public void Diagnose_LossEndingFourTimesAboveItsBest_IsDiverged()
    {
        var d = History(new[] { 0.5, 0.3, 0.2, 0.9 }, new[] { 0.5, 0.35, 0.3, 1.0 }, 0.69).Diagnose();
        Assert.AreEqual(FitVerdict.Diverged, d.Verdict);
        StringAssert.Contains(d.Evidence[0], "4.5× the best before it");
    }

    [TestMethod]
    public void Diagnose_LossStuckAtTheBaseline_IsNotLearning()
    {
        // the lecture's RMSprop(1.0) on MNIST: an exploding first epoch, then stuck near ln(10)
        var d = History(new[] { 1420.0, 2.45, 2.33, 2.31, 2.32, 2.31 }, new[] { 2.4, 2.35, 2.32, 2.31, 2.33, 2.31 }, 2.3026, rate: 1.0).Diagnose();
        Assert.AreEqual(FitVerdict.NotLearning, d.Verdict);
        StringAssert.Contains(d.Evidence[0], "never got 5% below the baseline 2.303");
        StringAssert.Contains(d.Evidence[1], "617× the baseline");
        StringAssert.Contains(d.Advice[0], "LearningRate: lower it 10×, to 0.1");
    }

    [TestMethod]
    public void Diagnose_FlatLossWithoutBaseline_IsNotLearning()
    {
        var d = History(new[] { 0.693, 0.692, 0.690, 0.691 }).Diagnose();
        Assert.AreEqual(FitVerdict.NotLearning, d.Verdict);
        StringAssert.Contains(d.Evidence[0], "no baseline was recorded");
    }

    [TestMethod]
    public void Diagnose_ShuffledLabels_IsNotGeneralizing()
    {
        // the lecture's shuffled MNIST labels: training loss falls, validation rises above chance
        double[] loss = Enumerable.Range(0, 20).Select(i => 2.3 - 0.09 * i).ToArray();
        double[] val = Enumerable.Range(0, 20).Select(i => 2.31 + 0.03 * i).ToArray();
        var d = History(loss, val, 2.3026).Diagnose();
        Assert.AreEqual(FitVerdict.NotGeneralizing, d.Verdict);
        Assert.IsNull(d.OverfittingEpoch);
        Assert.IsTrue(d.Advice.Any(a => a.Contains("ShuffleLabels", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Diagnose_UShapedValidation_IsOverfittingFromItsBottom()
    {
        // spam 512-512: validation bottoms at epoch 4 and climbs while training loss goes to ~0
        double[] val = { 0.20, 0.10, 0.07, 0.060, 0.062, 0.066, 0.070, 0.075, 0.080, 0.085, 0.090, 0.094, 0.098, 0.10, 0.104, 0.108, 0.11, 0.112, 0.115, 0.118 };
        double[] loss = Enumerable.Range(0, 20).Select(i => 0.3 * Math.Pow(0.6, i)).ToArray();
        var d = History(loss, val, 0.60).Diagnose();
        Assert.AreEqual(FitVerdict.Overfitting, d.Verdict);
        Assert.IsTrue(d.OverfittingEpoch is >= 3 and <= 5, $"onset {d.OverfittingEpoch}");
        Assert.IsTrue(d.Advice[0].StartsWith("EarlyStopping", StringComparison.Ordinal));
    }

    [TestMethod]
    public void Diagnose_OverfittingStoppedAtItsBottom_IsGoodFit()
    {
        // EarlyStopping(patience 4, restore): validation bottoms at epoch 4, four worse epochs follow
        double[] val = { 0.20, 0.10, 0.07, 0.060, 0.065, 0.072, 0.080, 0.090 };
        double[] loss = { 0.3, 0.1, 0.05, 0.02, 0.01, 0.005, 0.003, 0.002 };
        var fromTrainer = History(loss, val, 0.60);
        var restored = new TrainingHistory(fromTrainer) { BaselineLoss = 0.60 };
        restored.RestoredBestWeights = true; // as EarlyStopping(RestoreBestWeights) leaves it
        restored.BestEpoch = 4;

        Assert.AreEqual(FitVerdict.Overfitting, fromTrainer.Diagnose().Verdict, "without the restore the last weights are past the bottom");
        var d = restored.Diagnose();
        Assert.AreEqual(FitVerdict.GoodFit, d.Verdict);
        Assert.AreEqual(4, d.OverfittingEpoch);
        StringAssert.Contains(d.Evidence[^1], "restored the weights of epoch 4");
    }

    [TestMethod]
    public void Diagnose_EarlyStoppedTooSoonToConfirmARise_IsGoodFitWhenTheBestEpochWasRestored()
    {
        // the lab's 512-512 with EarlyStopping(patience 2, restore): five epochs, best at 3, training loss near 0
        double[] val = { 0.20, 0.125, 0.114, 0.118, 0.121 };
        double[] loss = { 0.35, 0.06, 0.01, 0.002, 0.0008 };
        var history = History(loss, val, 0.69);
        history.Stop = StopKind.EarlyStopped;
        history.RestoredBestWeights = true;
        history.BestEpoch = 3;

        var d = history.Diagnose();
        Assert.AreEqual(FitVerdict.GoodFit, d.Verdict, d.ToString());
        StringAssert.Contains(d.Evidence[^1], "restored the weights of epoch 3");
        history.RestoredBestWeights = false;
        Assert.AreNotEqual(FitVerdict.GoodFit, history.Diagnose().Verdict, "without the restore the run ended past its best epoch");
    }

    [TestMethod]
    public void Diagnose_ValidationStallingWithTrainingRightBelowIt_IsUnderfitting()
    {
        // the lecture's linear MNIST model: validation goes to 0.26 and stays there, training just below
        double[] val = { 0.40, 0.33, 0.30, 0.285, 0.275, 0.27, 0.266, 0.264, 0.262, 0.261, 0.26, 0.26, 0.261, 0.26, 0.26, 0.26, 0.261, 0.26, 0.26, 0.26 };
        double[] loss = val.Select(v => v - 0.015).ToArray();
        var d = History(loss, val, 2.3026).Diagnose();
        Assert.AreEqual(FitVerdict.Underfitting, d.Verdict);
        Assert.IsTrue(d.Advice[0].StartsWith("HiddenLayerSizes", StringComparison.Ordinal));
        Assert.IsFalse(d.Advice.Any(a => a.StartsWith("Epochs", StringComparison.Ordinal)), "validation is flat: more epochs would not help");
    }

    [TestMethod]
    public void Diagnose_ValidationStillFallingAtTheEnd_IsUnderfittingAndAsksForEpochs()
    {
        double[] val = Enumerable.Range(0, 10).Select(i => 0.6 * Math.Pow(0.9, i)).ToArray();
        double[] loss = val.Select(v => v * 0.6).ToArray();
        var d = History(loss, val, 0.69).Diagnose();
        Assert.AreEqual(FitVerdict.Underfitting, d.Verdict);
        Assert.IsTrue(d.Advice[0].StartsWith("Epochs", StringComparison.Ordinal));
    }

    // the lab's logistic regression on Fashion-MNIST: validation creeps down by under 5% over the last third, still
    // lowest near the end, with the training loss 20% below it
    private static readonly double[] SlowValidation = { 1.0, 0.8, 0.72, 0.68, 0.66, 0.645, 0.635, 0.627, 0.62, 0.615, 0.611, 0.607, 0.604, 0.601, 0.600, 0.597, 0.598, 0.594, 0.592, 0.590 };

    [TestMethod]
    public void Diagnose_ValidationStillImprovingSlowlyWithAGap_IsUnderfitting_CantOverfitYet()
    {
        double[] loss = SlowValidation.Select((v, i) => 0.8 * v - 0.005 * i).ToArray(); // still falling 9% over the last third
        var d = History(loss, SlowValidation, 2.3026).Diagnose();
        Assert.AreEqual(FitVerdict.Underfitting, d.Verdict, d.ToString());
        Assert.IsNull(d.OverfittingEpoch);
        StringAssert.StartsWith(d.Evidence[0], "No U-turn: the validation loss still improves, slowly: over the last 6 epochs it went 0.601 → 0.59, a falling trend (Mann-Kendall z = ");
        StringAssert.Contains(d.Evidence[0], "significant at the one-sided 5% level), and its lowest epoch is 20 of 20.");
        StringAssert.Contains(d.Evidence[1], "the model can't overfit within 20 epochs");
        Assert.IsTrue(d.Advice[0].StartsWith("HiddenLayerSizes", StringComparison.Ordinal), "the lecture's remedy: more capacity");

        // z = (S + 1) / √Var(S): S = −19 of 21 pairs (one rise, 0.597 → 0.598), Var = 7·6·19 / 18
        double z = (-19 + 1) / Math.Sqrt(7 * 6 * 19 / 18.0);
        StringAssert.Contains(d.Evidence[0], $"z = {z:0.00}");
        var strict = History(loss, SlowValidation, 2.3026).Diagnose(new FitDiagnosisOptions { TrendSignificance = 0.001 });
        Assert.AreEqual(FitVerdict.GoodFit, strict.Verdict, "z = " + z + " is not significant at 0.1%: the flat-plateau reading");
    }

    [TestMethod]
    public void Diagnose_NoisyFlatValidationWithAGap_ReadsUnderfittingAtAboutTheTestsLevel()
    {
        // the falling-trend test is a 5% test: flat noisy plateaus read as still improving at about that rate (37 of
        // these 1,000 measured; the continuity correction makes it a little conservative), never far above it
        int underfitting = 0;
        for (int seed = 0; seed < 1000; seed++)
        {
            var random = new Random(seed);
            double[] val = Enumerable.Range(0, 30).Select(i => (i < 5 ? 0.5 - 0.04 * i : 0.3) * (1 + 0.08 * (2 * random.NextDouble() - 1))).ToArray();
            double[] loss = Enumerable.Range(0, 30).Select(i => 0.5 * Math.Pow(0.9, i)).ToArray();
            if (History(loss, val, 0.69).Diagnose().Verdict == FitVerdict.Underfitting)
                underfitting++;
        }
        Assert.IsLessThanOrEqualTo(70, underfitting, $"{underfitting} of 1,000 noisy flat curves read as underfitting");
    }

    [TestMethod]
    public void NormalQuantile_MatchesTables()
    {
        Assert.AreEqual(1.6448536, FitDiagnostician.NormalQuantile(0.95), 1e-5);
        Assert.AreEqual(1.9599640, FitDiagnostician.NormalQuantile(0.975), 1e-5);
        Assert.AreEqual(2.3263479, FitDiagnostician.NormalQuantile(0.99), 1e-5);
        Assert.AreEqual(0, FitDiagnostician.NormalQuantile(0.5), 1e-6);
    }

    [TestMethod]
    public void Options_DefaultsEqualTheirDocumentation()
    {
        var o = new FitDiagnosisOptions();
        Assert.AreEqual(0.05, o.Tolerance);
        Assert.AreEqual(4, o.DivergenceFactor);
        Assert.AreEqual(0.1, o.GapTolerance);
        Assert.AreEqual(0.05, o.TrendSignificance);
        Assert.IsNull(o.SmoothingWindow);
    }

    [TestMethod]
    public void Diagnose_ValidationHoldingItsBestWithCapacityToSpare_IsGoodFit()
    {
        double[] val = { 0.5, 0.35, 0.3, 0.29, 0.285, 0.284, 0.285, 0.284, 0.285, 0.284, 0.285, 0.284 };
        double[] loss = { 0.5, 0.3, 0.2, 0.15, 0.12, 0.1, 0.09, 0.08, 0.075, 0.07, 0.068, 0.066 };
        var d = History(loss, val, 0.69).Diagnose();
        Assert.AreEqual(FitVerdict.GoodFit, d.Verdict);
        Assert.IsNull(d.OverfittingEpoch);
    }

    [TestMethod]
    public void Diagnose_OneNoisyEpochAnywhere_NeverFlipsTheVerdict()
    {
        // a validation loss holding its best, with one epoch 40% off (a bad batch order): never Overfitting
        double[] loss = Enumerable.Range(0, 20).Select(i => 0.5 * Math.Pow(0.85, i)).ToArray();
        double[] flat = Enumerable.Range(0, 20).Select(i => i < 4 ? 0.5 - 0.05 * i : 0.3).ToArray();
        var expected = History(loss, flat, 0.69).Diagnose().Verdict;
        Assert.AreEqual(FitVerdict.GoodFit, expected);
        for (int spike = 4; spike < 20; spike++)
        {
            double[] val = (double[])flat.Clone();
            val[spike] *= 1.4;
            var d = History(loss, val, 0.69).Diagnose();
            Assert.AreEqual(expected, d.Verdict, $"spike at epoch {spike + 1}: {d}");
        }
    }

    [TestMethod]
    public void Diagnose_NoisyFlatValidation_RarelySaysOverfitting()
    {
        // batch 32 on 1,600 rows: ±8% epoch-to-epoch noise around a flat validation loss, training still falling.
        // Pure noise can look exactly like a slow rise; the trend test and the noise-scaled threshold keep that
        // rare (none of these 1,000 measured; a few would be a statistical fact, hence the bound, not zero).
        int overfitting = 0;
        for (int seed = 0; seed < 1000; seed++)
        {
            var random = new Random(seed);
            double[] val = Enumerable.Range(0, 30).Select(i => (i < 5 ? 0.5 - 0.04 * i : 0.3) * (1 + 0.08 * (2 * random.NextDouble() - 1))).ToArray();
            double[] loss = Enumerable.Range(0, 30).Select(i => 0.5 * Math.Pow(0.9, i)).ToArray();
            if (History(loss, val, 0.69).Diagnose().Verdict == FitVerdict.Overfitting)
                overfitting++;
        }
        Assert.IsLessThanOrEqualTo(3, overfitting, $"{overfitting} of 1,000 noisy flat curves read as overfitting");
    }

    [TestMethod]
    public void Diagnose_NoisyUShape_FindsTheOnsetDespiteTheNoise()
    {
        for (int seed = 0; seed < 1000; seed++)
        {
            var random = new Random(seed);
            // bottom at epoch 8 (0.30), rising 0.01 per epoch to 0.52 at epoch 30, ±6% noise
            double[] val = Enumerable.Range(1, 30).Select(e => (e <= 8 ? 0.30 + 0.03 * (8 - e) : 0.30 + 0.01 * (e - 8)) * (1 + 0.06 * (2 * random.NextDouble() - 1))).ToArray();
            double[] loss = Enumerable.Range(0, 30).Select(i => 0.5 * Math.Pow(0.85, i)).ToArray();
            var d = History(loss, val, 0.69).Diagnose();
            Assert.AreEqual(FitVerdict.Overfitting, d.Verdict, $"seed {seed}: {d}");
            Assert.IsTrue(d.OverfittingEpoch is >= 5 and <= 11, $"seed {seed}: onset {d.OverfittingEpoch}");
        }
    }

    [TestMethod]
    public void Diagnose_WithoutValidation_JudgesTrainingOnlyAndSaysSo()
    {
        var falling = History(new[] { 0.6, 0.5, 0.42, 0.36, 0.31, 0.27 }, baseline: 0.69).Diagnose();
        Assert.AreEqual(FitVerdict.Underfitting, falling.Verdict);
        StringAssert.Contains(falling.Evidence[0], "no validation losses");
        var flat = History(new[] { 0.6, 0.3, 0.2, 0.2, 0.2, 0.2 }, baseline: 0.69).Diagnose();
        Assert.AreEqual(FitVerdict.GoodFit, flat.Verdict);
        StringAssert.Contains(flat.Advice[0], "ValidationFraction");
    }

    [TestMethod]
    public void Diagnose_EmptyHistoryOrBadThresholds_ThrowClearErrors()
    {
        Assert.ThrowsExactly<InvalidOperationException>(() => new TrainingHistory().Diagnose());
        var h = History(new[] { 0.5, 0.4 });
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => h.Diagnose(new FitDiagnosisOptions { Tolerance = 0 }));
        StringAssert.Contains(e.Message, "Invalid value for Tolerance: expected a fraction in (0, 1). Received: Tolerance=0.");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => h.Diagnose(new FitDiagnosisOptions { DivergenceFactor = double.NaN }));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => h.Diagnose(new FitDiagnosisOptions { SmoothingWindow = 0 }));
        foreach (double level in new[] { 0, 0.5, double.NaN })
        {
            var t = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => h.Diagnose(new FitDiagnosisOptions { TrendSignificance = level }));
            StringAssert.Contains(t.Message, $"Invalid value for TrendSignificance: expected a level in (0, 0.5). Received: TrendSignificance={level}.");
        }
    }

    [TestMethod]
    public void ToString_NamesVerdictOnsetEvidenceAndAdvice()
    {
        double[] val = { 0.20, 0.10, 0.07, 0.060, 0.062, 0.066, 0.070, 0.075, 0.080, 0.085, 0.090, 0.094 };
        double[] loss = Enumerable.Range(0, 12).Select(i => 0.3 * Math.Pow(0.6, i)).ToArray();
        string text = History(loss, val, 0.6).Diagnose().ToString();
        StringAssert.StartsWith(text, "Overfitting (overfitting from epoch ");
        StringAssert.Contains(text, "\n- The validation loss bottomed");
        StringAssert.Contains(text, "\n→ EarlyStopping");
    }
}

/// <summary>The trainer records what the diagnosis needs, and real runs read the way the lecture says they should.</summary>
[TestClass]
public sealed class FitDiagnosisOfTrainedRunsTests
{
    [TestMethod]
    public void Fit_RecordsTheValidationRowsBaselineLoss_AndItSurvivesSaveAndLoad()
    {
        var ml = new Microsoft.ML.MLContext(1);
        var rows = SyntheticData.Binary(500, seed: 1);
        var model = ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions { Seed = 1, Epochs = 2, ValidationFraction = 0.2 }).Fit(ml.Data.LoadFromEnumerable(rows));

        // the last 100 rows are the validation rows: their own priors' cross-entropy
        double p = rows.Skip(400).Count(r => r.Label) / 100.0;
        double expected = -(p * Math.Log(p) + (1 - p) * Math.Log(1 - p));
        Assert.AreEqual(expected, model.History.BaselineLoss!.Value, 1e-6);

        var path = Path.Combine(Path.GetTempPath(), $"baseline-{Environment.ProcessId}.zip");
        try
        {
            ml.Model.Save(model, ml.Data.LoadFromEnumerable(rows).Schema, path);
            var loaded = DenseNetworkModel.FromTransformer(ml.Model.Load(path, out _));
            Assert.AreEqual(model.History.BaselineLoss, loaded.History!.BaselineLoss);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void Diagnose_ShuffledLabelsRun_IsNotGeneralizing_AndTheSameDataWithItsLabels_IsNot()
    {
        var ml = new Microsoft.ML.MLContext(1);
        var rows = SyntheticData.Binary(600, seed: 3);
        var data = ml.Data.LoadFromEnumerable(rows);
        var random = new Random(1); // the lecture's shuffled labels: the same labels, permuted across the rows
        var labels = rows.Select(r => r.Label).OrderBy(_ => random.Next()).ToArray();
        var permuted = ml.Data.LoadFromEnumerable(rows.Select((r, i) => new BinaryRow { Features = r.Features, Label = labels[i] }));
        var options = new DenseNetworkOptions { Seed = 1, Epochs = 60, HiddenLayerSizes = new[] { 256, 256 }, BatchSize = 16, LearningRate = 3e-3, ValidationFraction = 0.3 };

        var shuffled = ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(permuted).History.Diagnose();
        var real = ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(data).History.Diagnose();

        Assert.AreEqual(FitVerdict.NotGeneralizing, shuffled.Verdict, shuffled.ToString());
        Assert.AreNotEqual(FitVerdict.NotGeneralizing, real.Verdict, real.ToString());
        Assert.AreNotEqual(FitVerdict.NotLearning, real.Verdict, real.ToString());
    }
}
