using MlNetDeep.Samples.Data;
using MlNetDeep.Samples.Experiments;
using MlNetDeep.Samples.Reporting;

namespace MlNetDeep.Samples.Tests;

/// <summary>
/// Issue 10's "Done means" on real data: the lab's own runs (embedded subset, the lecture's epochs and sizes, seed 42 as
/// the lab runs them) get the lecture's verdicts from <see cref="TrainingHistory.Diagnose()"/>.
/// </summary>
[TestClass]
public sealed class LabVerdictTests
{
    private static ExperimentResult Run(string name)
    {
        Assert.IsTrue(LabExperiments.CreateRegistry().TryGet(name, out var experiment), $"'{name}' is not registered");
        string folder = Path.Combine(Path.GetTempPath(), $"lab-verdict-{name}-{Environment.ProcessId}");
        try
        {
            var context = new ExperimentContext(name, DataSource.Resolve(null, full: false), folder, new ConsoleReporter(new StringWriter(), interactive: false));
            var result = experiment.Run(context);
            Console.WriteLine(Story(result)); // the test log keeps every run's evidence
            return result;
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    private static FitDiagnosis Of(ExperimentResult result, string run)
        => result.Diagnoses.Single(d => d.Run == run).Diagnosis;

    private static string Story(ExperimentResult result)
        => result.Verdict + "\n" + string.Join("\n", result.Diagnoses.Select(d => $"{d.Run}: {d.Diagnosis}"));

    [TestMethod]
    public void LearningRate_Rate1_IsDivergedOrNotLearning_AndRate1e2Learns()
    {
        var result = Run("learning-rate");
        var high = Of(result, "lr 1");
        CollectionAssert.Contains(new[] { FitVerdict.Diverged, FitVerdict.NotLearning }, high.Verdict, Story(result));
        var good = Of(result, "lr 0.01");
        Assert.IsFalse(good.Verdict is FitVerdict.Diverged or FitVerdict.NotLearning or FitVerdict.NotGeneralizing, Story(result));
    }

    [TestMethod]
    public void Capacity_LogisticRegression_IsUnderfitting_AndThe96x96Network_IsNot()
    {
        var result = Run("capacity");
        var logistic = Of(result, "logistic");
        Assert.AreEqual(FitVerdict.Underfitting, logistic.Verdict, Story(result));
        Assert.IsNull(logistic.OverfittingEpoch);
        Assert.IsTrue(logistic.Advice.Any(a => a.StartsWith("HiddenLayerSizes", StringComparison.Ordinal)), "the lecture's remedy: more capacity. " + Story(result));
        Assert.AreNotEqual(FitVerdict.Underfitting, Of(result, "96-96").Verdict, "the larger model is not short of capacity. " + Story(result));
    }

    [TestMethod]
    public void ShuffledLabels_IsNotGeneralizing()
    {
        var result = Run("shuffled-labels");
        Assert.AreEqual(FitVerdict.NotGeneralizing, Of(result, "shuffled labels").Verdict, Story(result));
    }

    [TestMethod]
    public void TextCapacity_Spam512x512_OverfitsFromWithinOneEpochOfItsBestEpoch()
    {
        var result = Run("text-capacity");
        var larger = Of(result, "512-512 (larger)");
        Assert.AreEqual(FitVerdict.Overfitting, larger.Verdict, Story(result));
        double best = result.Numbers["512-512_best_val_epoch"];
        Assert.IsNotNull(larger.OverfittingEpoch);
        Assert.IsLessThanOrEqualTo(1, Math.Abs(larger.OverfittingEpoch.Value - best), $"onset {larger.OverfittingEpoch} vs best epoch {best}. " + Story(result));
    }

    [TestMethod]
    public void EarlyStopping_TheStoppedRun_IsGoodFit_AndTheFixed20Epochs_Overfits()
    {
        var result = Run("early-stopping");
        Assert.AreEqual(FitVerdict.GoodFit, Of(result, "early stopping").Verdict, Story(result));
        Assert.AreEqual(FitVerdict.Overfitting, Of(result, "20 epochs").Verdict, Story(result));
    }
}
