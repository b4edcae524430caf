using MlNetDeep.Samples.Experiments;
using MlNetDeep.Samples.Reporting;

namespace MlNetDeep.Samples.Tests;

/// <summary>
/// Issue 10's "Done means" for the search, on real data under the quick (tiny) budget: on Fashion-MNIST and on the
/// spam mails, TuneDenseNetwork beats the default options' cross-validated loss on the same folds, scales a model up
/// until it overfits, regularizes it, and ends within its time budget; the report tells the story with a plot.
/// </summary>
[TestClass]
public sealed class TuneExperimentTests
{
    private static readonly string[] Keys = { "fashion-mnist", "spam" };
    private static TempDirectory _dir = null!;
    private static ExperimentResult _result = null!;

    [ClassInitialize]
    public static void RunOnce(TestContext context)
    {
        _dir = new TempDirectory();
        _result = TinyLabRun.Run("tune", _dir.Path, seed: 42);
    }

    [ClassCleanup]
    public static void CleanUp() => _dir.Dispose();

    private static string Story => _result.Verdict + "\n" + _result.Details;

    // The chosen trial against DenseNetworkOptions' defaults ([64], 10 epochs, rate 1e-3, batch 32), both on the first
    // repeat of the same 3 folds (the chosen trial's mean, not the best mean: the one-standard-error rule's pick is what
    // the search returns). Measured 2026-11-26 under the tiny budget (400 images, 300 mails, 3 folds, 20 epochs, ScaleUp
    // trials 60, seed 42, load average 17-27): Fashion-MNIST 0.673 vs 0.924 (256-256 at 2.0e-4, which overfit from
    // epoch 44, with L2 1e-3 and early stopping).
    [TestMethod]
    public void Search_BeatsTheDefaultOptionsCrossValidatedLossOnTheImages_ByAClearMargin()
    {
        double tuned = _result.Numbers["fashion-mnist_tuned_cv_loss"], defaults = _result.Numbers["fashion-mnist_default_cv_loss"];
        Assert.IsTrue(double.IsFinite(tuned) && double.IsFinite(defaults), $"{tuned} vs {defaults}");
        Assert.IsLessThan(0.85 * defaults, tuned, "on the images by a clear margin: " + Story);
    }

    // On 300 mails the default options are as good as anything the folds can rank: every model of the climb and every
    // regularized variant scored within about one standard error of the defaults (0.17 ± 0.02-0.03 on 100 held-out
    // mails a fold), so which one the one-standard-error rule picks is noise, not skill. Measured 2026-11-26 (tiny
    // budget, seed 42): the search chose [16] with L2 1e-3 and early stopping, 0.188 vs 0.170 ± 0.022 (standard error) for the defaults;
    // before ScaleUp trials trained 60 epochs it chose [64] at 1e-3, 0.1693 vs 0.1697. The test pins what the folds can
    // say: the search's choice is not worse than the defaults by more than one standard error of their mean (parity),
    // not a win. (Refitted, the same choice scored 0.156 vs 0.174 on the 100 test mails: noise both ways.) Where the folds
    // can tell, on the full corpus's 4,534 mails, the search beats the defaults by more than one standard error:
    // TuneFullSpamCorpusTests.
    [TestMethod]
    public void Search_IsWithinOneStandardErrorOfTheDefaultOptions_OnTheSpamMails()
    {
        double tuned = _result.Numbers["spam_tuned_cv_loss"], defaults = _result.Numbers["spam_default_cv_loss"], se = _result.Numbers["spam_default_cv_se"];
        Assert.IsTrue(double.IsFinite(tuned) && double.IsFinite(defaults) && se > 0, $"{tuned} vs {defaults} ± {se}");
        Assert.IsLessThanOrEqualTo(defaults + se, tuned, $"tuned {tuned} vs default options {defaults} ± {se}. {Story}");
    }

    // On the spam mails the climb passes the first overfitting model while larger ones still do better and regularizes
    // the overfitting model with the best held-out loss.
    [TestMethod]
    public void Search_ScalesUpUntilAModelOverfits_ThenRegularizesIt_OnTheSpamMails() => AssertScaledUpUntilOverfitThenRegularized("spam");

    // Measured under the tiny budget (2026-11-26): on 400 images 256-256 at 2.0e-4 still improved slowly at epoch 20 and
    // plateaued at 40 (GoodFit); ScaleUp trials now train three times the template's epochs, and over 60 the folds' mean
    // curve turns up: Overfitting from epoch 44, and the search regularizes it.
    [TestMethod]
    public void Search_ScalesUpUntilAModelOverfits_ThenRegularizesIt_OnFashionMnist() => AssertScaledUpUntilOverfitThenRegularized("fashion-mnist");

    private static void AssertScaledUpUntilOverfitThenRegularized(string key)
    {
        Assert.IsGreaterThanOrEqualTo(1, _result.Numbers[$"{key}_scale_up_trials"], $"{key}: {Story}");
        Assert.AreEqual(1, _result.Numbers[$"{key}_scaled_up_until_overfit"], $"{key}: the model regularized is not a scaled-up one that overfit. {Story}");
        Assert.IsGreaterThanOrEqualTo(1, _result.Numbers[$"{key}_regularize_trials"], $"{key}: {Story}");
        var title = key == "spam" ? "spam mails" : "Fashion-MNIST";
        var regularized = _result.Diagnoses.Where(d => d.Run.StartsWith(title, StringComparison.Ordinal) && d.Run.Contains("(overfit, regularized)", StringComparison.Ordinal)).ToArray();
        Assert.HasCount(1, regularized, string.Join("\n", _result.Diagnoses.Select(d => d.Run)));
        Assert.AreEqual(FitVerdict.Overfitting, regularized[0].Diagnosis.Verdict, Story);
        Assert.IsNotNull(regularized[0].Diagnosis.OverfittingEpoch, Story);
    }

    [TestMethod]
    public void Search_FinishesWithinItsTimeBudget()
    {
        // the search's own contract (MaxTime, the refit on all rows included). The tiny budget's 10 minutes are never the
        // limit (one to three minutes per search under load average 10-27 on 2 cores), so every stage ran: Completed holds.
        // How the search stops at a MaxTime that is the limit is tested on synthetic data (TuneDenseNetworkBudgetTests).
        foreach (var key in Keys)
        {
            Assert.AreEqual(600, _result.Numbers[$"{key}_max_seconds"]);
            Assert.AreEqual(1, _result.Numbers[$"{key}_completed"], $"{key}: {Story}");
            Assert.IsLessThanOrEqualTo(_result.Numbers[$"{key}_max_seconds"], _result.Numbers[$"{key}_seconds"], $"{key}: {Story}");
            Assert.IsGreaterThanOrEqualTo(2, _result.Numbers[$"{key}_trials"], $"{key}: at least the first model and the learning rate or a rung: {Story}");
        }
    }

    [TestMethod]
    public void Report_ShowsTheLadderTheChoiceAndTheDiagnosisUnderThePlots()
    {
        Assert.IsTrue(LabExperiments.CreateRegistry().TryGet("tune", out var experiment));
        Assert.AreEqual(ExperimentData.Images | ExperimentData.Text, experiment.Data);
        var outcome = new ExperimentOutcome(experiment, ExperimentStatus.Succeeded, _result, null, TimeSpan.FromSeconds(1));
        string markdown = LabReport.Render(_dir.Path, new[] { outcome }, "tiny");

        Assert.HasCount(2, _result.Figures);
        foreach (var figure in _result.Figures)
        {
            Assert.AreEqual((800, 450), TinyLabRun.PngSize(figure));
            StringAssert.Contains(markdown, $"]({Path.GetFileName(figure)})");
        }
        StringAssert.Contains(markdown, "#### TuneDenseNetwork: multiclass classification");
        StringAssert.Contains(markdown, "#### TuneDenseNetwork: binary classification");
        Assert.AreEqual(2, CountOf(markdown, "Chosen by the one-standard-error rule"));
        Assert.AreEqual(2, CountOf(markdown, "Diagnosis of the best trial: "));
        int plot = markdown.IndexOf("![", StringComparison.Ordinal), ladder = markdown.IndexOf("| # | Stage | Change |", StringComparison.Ordinal);
        Assert.IsTrue(plot >= 0 && ladder > plot, "the ladder follows the plots");
        foreach (var key in Keys)
            StringAssert.Contains(_result.Verdict, $"chose #{_result.Numbers[$"{key}_chosen_trial"]}");

        // the plots draw the model the search regularized when it overfit (spam: [64]) beside the chosen one
        var regularized = _result.Diagnoses.Where(d => d.Run.Contains("(overfit, regularized)", StringComparison.Ordinal)).ToArray();
        Assert.IsNotEmpty(regularized, string.Join("\n", _result.Diagnoses.Select(d => d.Run)));
        Assert.IsTrue(regularized.All(d => d.Diagnosis.Verdict == FitVerdict.Overfitting && d.Diagnosis.OverfittingEpoch is not null), Story);
        Assert.AreEqual(2, _result.Diagnoses.Count(d => d.Run.Contains(" chosen: ", StringComparison.Ordinal)));
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
