using Microsoft.ML;
using MlNetDeep.Samples.Data;
using MlNetDeep.Samples.Experiments;
using MlNetDeep.Samples.Experiments.Lab;
using MlNetDeep.Samples.Reporting;

namespace MlNetDeep.Samples.Tests;

/// <summary>
/// Issue 10's "the search beats the default options' CV metric" on the spam mails, where the folds can tell: the full
/// SpamAssassin corpus as build/setup.sh installs it (4,534 training mails, 1,512 test mails; inconclusive where it is
/// not installed). On the embedded subset's 300 or 450 mails every model scores within one standard error of the default
/// options (TuneExperimentTests pins that parity); with about 1,500 held-out mails a fold the margin is measurable.
/// </summary>
[TestClass]
public sealed class TuneFullSpamCorpusTests
{
    // 3 folds (the lab's --full run uses 5) and 20 epochs, 60 for the climb: about 1.5–2 minutes per search on the
    // 2-core machine under load average 4–6 (2026-11-26), so MaxTime's 10 minutes are never the limit and which trials
    // run does not depend on the machine's load.
    private static readonly TuneExperiment.Budget Budget = new(3, 20, TimeSpan.FromMinutes(10),
        new List<int[]>(), new List<int[]> { new[] { 4 }, new[] { 16 }, new[] { 64 }, new[] { 64, 64 }, new[] { 256, 256 } });

    private static TempDirectory _dir = null!;
    private static TuneExperiment.Outcome? _outcome;
    private static string? _missing;

    [ClassInitialize]
    public static void RunOnce(TestContext context)
    {
        _dir = new TempDirectory();
        DataSource source;
        try
        {
            source = DataSource.Resolve(null, full: true);
        }
        catch (DirectoryNotFoundException e)
        {
            _missing = e.Message;
            return;
        }
        var experiment = new ExperimentContext("tune", source, _dir.Path, new ConsoleReporter(new StringWriter(), interactive: false))
        {
            Seed = 42,
            Full = true,
        };
        _outcome = TuneExperiment.SearchMails(experiment, experiment.CreateMLContext(), Budget);
    }

    [ClassCleanup]
    public static void CleanUp() => _dir.Dispose();

    private static TuneExperiment.Outcome Outcome
    {
        get
        {
            if (_outcome is null)
                Assert.Inconclusive($"Full data not installed here: {_missing}");
            return _outcome;
        }
    }

    private static string Story => Outcome.Result.ToMarkdown();

    // Measured 2026-11-26 (seed 42, load average 4-6): the chosen trial ({16}, L2 1e-4, early stopping) 0.061 vs the
    // default options' 0.093 ± 0.014 (standard error over the 3 folds): 2.3 standard errors; seed 1: 0.051 vs
    // 0.065 ± 0.010 (1.5).
    [TestMethod]
    public void Search_BeatsTheDefaultOptionsCrossValidatedLoss_ByMoreThanOneStandardError()
    {
        var o = Outcome;
        Assert.IsTrue(double.IsFinite(o.TunedLoss) && double.IsFinite(o.DefaultLoss) && o.DefaultStandardError > 0, $"{o.TunedLoss} vs {o.DefaultLoss} ± {o.DefaultStandardError}");
        Assert.IsLessThan(o.DefaultLoss - o.DefaultStandardError, o.TunedLoss, $"tuned {o.TunedLoss} vs default options {o.DefaultLoss} ± {o.DefaultStandardError}. {Story}");
    }

    // The selection-free check: the search's BestModel (refitted on all 4,534 mails) and the default options trained on
    // the same mails, scored on 1,512 test mails neither saw. Measured 2026-11-26: test loss 0.0375 vs 0.0505 (seed 42),
    // 0.0627 vs 0.0833 (seed 1); accuracy within 0.001 of the defaults' (0.989 vs 0.990, 0.985 vs 0.986), which the
    // search does not optimize.
    [TestMethod]
    public void RefittedChoice_HasALowerTestLossThanTheDefaultOptions_OnMailsTheSearchNeverSaw()
    {
        var o = Outcome;
        Assert.AreEqual(1512, o.Tuned.Rows);
        Assert.IsLessThan(0.9 * o.Defaults.Loss, o.Tuned.Loss, $"test loss {o.Tuned.Loss} vs {o.Defaults.Loss}. {Story}");
        Assert.IsGreaterThan(0.97, o.Tuned.Accuracy, $"test accuracy {o.Tuned.Accuracy} (defaults {o.Defaults.Accuracy})");
    }

    // The lecture's steps on the corpus: {16} overfits (from epoch 29) and beats the smaller models; {64} overfits too but
    // comes within 5% of neither loss (MinimumClimbGain), so the climb stops there and {16} is regularized.
    [TestMethod]
    public void Search_ScalesUpUntilAModelOverfits_StopsWhenCapacityNoLongerHelps_AndRegularizesIt()
    {
        var r = Outcome.Result;
        var overfit = Outcome.Overfit;
        Assert.IsNotNull(overfit, Story);
        Assert.AreEqual(TuningStage.ScaleUp, overfit.Stage, Story);
        Assert.AreEqual(FitVerdict.Overfitting, overfit.Diagnosis.Verdict, Story);
        Assert.IsTrue(r.Trials.Any(t => t.Stage == TuningStage.Regularize && t.BasedOn == overfit.Index), Story);
        Assert.IsTrue(r.Notes.Any(n => n.Contains("more capacity no longer helps", StringComparison.Ordinal)), Story);
        Assert.IsFalse(r.Trials.Any(t => t.Options.HiddenLayerSizes!.SequenceEqual(new[] { 256, 256 })), "the climb stopped before the largest model: " + Story);
    }

    [TestMethod]
    public void Search_CompletesEveryStageWithinItsTimeBudget()
    {
        var r = Outcome.Result;
        Assert.IsTrue(r.Completed, Story);
        Assert.IsLessThanOrEqualTo(Budget.MaxTime, r.Elapsed, Story);
        Assert.IsTrue(r.Trials.Any(t => t.Stage == TuningStage.Choose), Story);
    }
}
