using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Evaluation.Tests;

/// <summary>
/// One seeded search on few noisy rows (a linear rule, 10% of the labels flipped, six noise slots), where a 4-unit
/// network underfits and a 256-256 one memorizes the noise: the tests read the story it tells.
/// </summary>
[TestClass]
public sealed class TuneDenseNetworkTests
{
    private static MLContext _ml = null!;
    private static IDataView _data = null!;
    private static DenseNetworkTuningResult _result = null!;
    private static readonly ConcurrentBag<DenseNetworkTrial> Reported = new();

    internal static DenseNetworkTuningOptions Options(int parallel) => new()
    {
        Seed = 7,
        NumberOfFolds = 3,
        NumberOfRepeats = 2,
        MaxParallelTrials = parallel,
        Architectures = new List<int[]> { new[] { 4 }, new[] { 32 }, new[] { 256, 256 } },
        BaseOptions = new DenseNetworkOptions { Epochs = 30, BatchSize = 16 },
    };

    internal static IDataView Data(MLContext ml) => TuningData.Load(ml, TuningData.Binary(300, seed: 4, noise: 0.1));

    [ClassInitialize]
    public static void TuneOnce(TestContext context)
    {
        _ml = new MLContext(seed: 1);
        _data = Data(_ml);
        var options = Options(parallel: 2);
        options.Progress = new Collect(Reported);
        _result = _ml.BinaryClassification.TuneDenseNetwork(_data, options);
    }

    [TestMethod]
    public void Trials_FollowTheLecturesStagesInOrder()
    {
        var stages = _result.Trials.Select(t => t.Stage).ToArray();
        Assert.AreEqual(TuningStage.Baseline, stages[0], _result.ToMarkdown());
        CollectionAssert.AreEqual(stages.OrderBy(s => s).ToArray(), stages, "stages never go back");
        foreach (var stage in new[] { TuningStage.ScaleUp, TuningStage.Regularize, TuningStage.Choose })
            CollectionAssert.Contains(stages, stage, _result.ToMarkdown());
        CollectionAssert.AreEqual(Enumerable.Range(1, _result.Trials.Count).ToArray(), _result.Trials.Select(t => t.Index).ToArray());
        Assert.IsTrue(_result.Completed, string.Join("\n", _result.Notes));
        Assert.IsNotNull(_result.LearningRateFinder);
        Assert.IsLessThan(_result.BaselineMetric.Mean, _result.BestTrial.Metric.Mean, "the chosen model beats the constant prediction");
    }

    [TestMethod]
    public void ScaleUp_ClimbsTheLadderEachModelAtItsOwnRate_AndRegularizesTheOverfittingModelWithTheBestHeldOutLoss()
    {
        var start = _result.Trials.Where(t => t.Stage is TuningStage.Baseline or TuningStage.LearningRate).ToArray();
        Assert.IsTrue(start.All(t => t.Diagnosis.Verdict != FitVerdict.Overfitting), "the 4-unit model cannot overfit: " + _result.ToMarkdown());
        var climb = _result.Trials.Where(t => t.Stage == TuningStage.ScaleUp).ToArray();
        Assert.IsNotEmpty(climb);
        var climbed = climb.Select(t => t.Options.HiddenLayerSizes!).DistinctBy(a => string.Join(",", a)).ToArray();
        for (int i = 0; i < climbed.Length; i++)
            CollectionAssert.AreEqual(Options(1).Architectures[i + 1], climbed[i], "the ladder in order");

        // each larger model trains at its own rate (the range test's suggestion for it, brought down), never above the
        // template's 1e-3: the small model's rate is not carried up the ladder
        Assert.IsTrue(climb.All(t => t.Options.LearningRate <= 1e-3), _result.ToMarkdown());
        foreach (var t in climb)
            StringAssert.StartsWith(t.Change, $"HiddenLayerSizes [{string.Join(", ", t.Options.HiddenLayerSizes!)}], LearningRate {t.Options.LearningRate.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)}");

        // the model regularized is the climb's overfitting model with the best held-out loss, read from the folds' mean curve
        int regularized = _result.Trials.First(t => t.Stage == TuningStage.Regularize).BasedOn!.Value;
        var overfit = _result.Trials[regularized - 1];
        var overfitting = climb.Where(t => t.Diagnosis.Verdict == FitVerdict.Overfitting).ToArray();
        Assert.IsNotEmpty(overfitting, _result.ToMarkdown());
        Assert.AreSame(overfitting.OrderBy(t => t.Metric.Mean).ThenBy(t => t.Index).First(), overfit, _result.ToMarkdown());
        var curve = overfit.MeanHistory.Diagnose();
        Assert.AreEqual(FitVerdict.Overfitting, curve.Verdict, "read from the folds' mean curve");
        Assert.IsNotNull(overfit.Diagnosis.OverfittingEpoch);
        Assert.AreEqual(curve.OverfittingEpoch, overfit.Diagnosis.OverfittingEpoch);
        StringAssert.Contains(string.Join("\n", _result.Notes), $"trial {overfit.Index} ([{string.Join(", ", overfit.Options.HiddenLayerSizes!)}]");
    }

    [TestMethod]
    public void Regularize_StartsFromTheOverfittingModel_AndPrunesTheWeakerHalfByEpochs()
    {
        var overfit = _result.Trials[_result.Trials.First(t => t.Stage == TuningStage.Regularize).BasedOn!.Value - 1];
        Assert.AreEqual(FitVerdict.Overfitting, overfit.Diagnosis.Verdict);
        var regularized = _result.Trials.Where(t => t.Stage == TuningStage.Regularize).ToArray();
        foreach (var t in regularized)
        {
            Assert.AreEqual(overfit.Index, t.BasedOn);
            CollectionAssert.AreEqual(overfit.Options.HiddenLayerSizes, t.Options.HiddenLayerSizes);
            Assert.AreEqual(overfit.Options.LearningRate, t.Options.LearningRate);
        }

        // the candidates share the overfitting model's budget: a ScaleUp model trains 3 × the template's 30 epochs
        Assert.AreEqual(TuningStage.ScaleUp, overfit.Stage, _result.ToMarkdown());
        Assert.AreEqual(90, overfit.Epochs, "a ScaleUp trial trains three times the template's epochs");
        int quarter = overfit.Epochs / 4, half = overfit.Epochs / 2;
        var first = regularized.Where(t => t.Epochs <= quarter).ToArray();
        Assert.HasCount(6, first, "every candidate runs a quarter of the 90 epochs (the onset candidate its own, fewer)");
        Assert.IsTrue(first.Any(t => t.Options.EarlyStopping is { RestoreBestWeights: true } && t.Options.DropoutRate == 0 && t.Options.L2Regularization == 0));
        Assert.IsTrue(first.Any(t => t.Options.EarlyStopping is null && t.Options.Epochs == Math.Min(quarter, overfit.Diagnosis.OverfittingEpoch!.Value)), "stop at the onset");
        CollectionAssert.AreEquivalent(new[] { 0.2, 0.5 }, first.Where(t => t.Options.DropoutRate > 0).Select(t => t.Options.DropoutRate).ToArray());
        CollectionAssert.AreEquivalent(new[] { 1e-4, 1e-3 }, first.Where(t => t.Options.L2Regularization > 0).Select(t => t.Options.L2Regularization).ToArray());

        var full = regularized.Where(t => t.Epochs == overfit.Epochs).ToArray();
        Assert.IsLessThanOrEqualTo(2, full.Length, "the better half of the better half reaches the full budget");
        Assert.IsGreaterThanOrEqualTo(3, regularized.Count(t => t.Pruned), "the weaker halves stop early");
        var survivors = regularized.Where(t => t.Epochs == half).Select(t => t.Change).ToHashSet();
        var firstRung = first.Where(t => t.Epochs == quarter || t.Options.EarlyStopping is null).OrderBy(t => t.Metric.Mean).ThenBy(t => t.Index).ToArray();
        // a survivor runs again at half the budget, unless it is carried forward: its own epochs reached (the onset
        // candidate) or early stopping ended every fold sooner (more epochs would train the same networks)
        Assert.IsTrue(firstRung.Take(3).All(t => survivors.Contains(t.Change) || t.Options.EarlyStopping is null || t.Histories.All(h => h.StoppedEarly)), "the three best of the first rung go on");
        Assert.IsTrue(firstRung.Skip(3).All(t => t.Pruned));
    }

    [TestMethod]
    public void Choose_ReevaluatesTheBestThreeOnEveryRepeat_AndTheSimplestWithinOneStandardErrorWins()
    {
        var choose = _result.Trials.Where(t => t.Stage == TuningStage.Choose).ToArray();
        var earlier = _result.Trials.Where(t => t.Stage != TuningStage.Choose).ToArray();
        var finalists = earlier.OrderBy(t => t.Metric.Mean).ThenBy(t => t.Index).Take(3).Select(t => t.Index).ToArray();
        CollectionAssert.AreEqual(finalists, choose.Take(3).Select(t => t.BasedOn!.Value).ToArray(), _result.ToMarkdown());
        Assert.IsLessThanOrEqualTo(4, choose.Length, "the best three, and the first shuffle's simplest within one SE when it is not one of them");
        foreach (var t in choose)
        {
            Assert.HasCount(6, t.Histories, "2 repeats × 3 folds");
            var original = _result.Trials[t.BasedOn!.Value - 1];
            CollectionAssert.AreEqual(original.Metric.Values.ToArray(), t.Metric.Values.Take(3).ToArray(), "the first repeat is reused");
        }

        // the rule recomputed here from the trials' numbers: SE = SD / √6 of the lowest mean; the fewest parameters within it
        var bestMean = choose.OrderBy(t => t.Metric.Mean).ThenBy(t => t.Index).First();
        Assert.AreSame(bestMean, _result.BestMeanTrial);
        double bound = bestMean.Metric.Mean + bestMean.Metric.StandardDeviation / Math.Sqrt(6);
        var band = choose.Where(t => t.Metric.Mean <= bound).ToArray();
        CollectionAssert.Contains(band, _result.BestTrial, _result.ToMarkdown());
        long Parameters(DenseNetworkTrial t)
        {
            long p = 0, previous = ((VectorDataViewType)_data.Schema["Features"].Type).Size; // one output (binary)
            foreach (int units in t.Options.HiddenLayerSizes!)
                (p, previous) = (p + (previous + 1) * units, units);
            return p + previous + 1;
        }
        Assert.AreEqual(band.Min(Parameters), Parameters(_result.BestTrial), "the fewest parameters within one standard error");
        Assert.AreEqual(Parameters(_result.BestTrial), DenseNetworkModel.FromTransformer(_result.BestModel).ParameterCount, "counted as the network counts them");

        string md = _result.ToMarkdown();
        StringAssert.Contains(md, _result.BestMeanTrial == _result.BestTrial
            ? $"Best mean: trial {bestMean.Index}, also the chosen one."
            : $"Best mean: trial {bestMean.Index} (");
        StringAssert.Contains(md, $"Chosen by the one-standard-error rule (the simplest trial within one standard error of the best mean): trial {bestMean.Index} has the best mean, {bestMean.Metric.Mean:G4}; one standard error is ");
    }

    [TestMethod]
    public void BestModel_IsTheBestOptionsFittedOnAllRows_AndScores()
    {
        var best = _result.BestOptions;
        Assert.IsNull(best.EarlyStopping, "early stopping is replaced by the epochs it kept");
        Assert.AreEqual(0, best.ValidationFraction);
        CollectionAssert.AreEqual(_result.BestTrial.Options.HiddenLayerSizes, best.HiddenLayerSizes);
        var history = _result.BestModel.History;
        Assert.HasCount(best.Epochs, history);
        Assert.IsTrue(history.All(e => e.ValidationLoss is null), "no rows held out");

        var again = _ml.BinaryClassification.Trainers.DenseNetwork(best).Fit(_data);
        var scores = _result.BestModel.Transform(_data).GetColumn<float>("Score").ToArray();
        CollectionAssert.AreEqual(again.Transform(_data).GetColumn<float>("Score").ToArray(), scores, "same options, same rows, same seed: same network");
        Assert.HasCount(300, scores);
        var metrics = _ml.BinaryClassification.Evaluate(_result.BestModel.Transform(_data));
        Assert.IsGreaterThan(0.8, metrics.Accuracy, "the rule is learned (10% of the labels are flipped)");
    }

    [TestMethod]
    public void Progress_ReceivesEveryTrial()
        => CollectionAssert.AreEquivalent(_result.Trials.ToArray(), Reported.ToArray());

    [TestMethod]
    public void Trials_KeepEveryFoldsHistoryAndDiagnosis_WithTheConstantBaseline()
    {
        foreach (var t in _result.Trials.Where(t => t.Stage != TuningStage.Choose))
        {
            Assert.HasCount(3, t.Histories);
            Assert.HasCount(3, t.FoldDiagnoses);
            Assert.HasCount(3, t.Metric.Values);
            Assert.IsTrue(t.Histories.All(h => h.BaselineLoss is > 0.5 and < 0.7), "class priors' cross-entropy on the validation rows");
            Assert.IsTrue(t.Histories.All(h => h.All(e => e.ValidationLoss is not null)));
            Assert.IsTrue(t.Metrics.Any(m => m.Name == "Accuracy"));
            Assert.AreEqual(t.MeanHistory.Diagnose().Verdict, t.Diagnosis.Verdict);
            Assert.AreEqual(t.Histories.Average(h => h.BaselineLoss!.Value), t.MeanHistory.BaselineLoss!.Value, 1e-12);
            Assert.AreEqual(t.Histories.Average(h => h[0].ValidationLoss!.Value), t.MeanHistory[0].ValidationLoss!.Value, 1e-12);
            Assert.StartsWith($"Read from the mean of the 3 folds' curves; {t.FoldDiagnoses.Count(d => d.Verdict == t.Diagnosis.Verdict)} of 3 folds alone read {t.Diagnosis.Verdict} (", t.Diagnosis.Evidence[0]);
        }
    }

    [TestMethod]
    public void ToMarkdown_TabulatesEveryTrialWithItsStageChangeMetricVerdictAndOnset()
    {
        string md = _result.ToMarkdown();
        StringAssert.Contains(md, "| # | Stage | Change | Epochs | HeldOutLoss (mean ± SD) | Accuracy | Verdict (folds agreeing) | Onset | Seconds |");
        StringAssert.Contains(md, "constant prediction (class priors)");
        var overfit = _result.Trials.Where(t => t.Stage == TuningStage.ScaleUp).Last(t => t.Diagnosis.Verdict == FitVerdict.Overfitting);
        StringAssert.Contains(md, $"| {overfit.Index} | ScaleUp | {overfit.Change} | 90 | {overfit.Metric.Mean:0.0000} ± {overfit.Metric.StandardDeviation:0.0000} |");
        StringAssert.Contains(md, $"| Overfitting ({overfit.FoldDiagnoses.Count(d => d.Verdict == FitVerdict.Overfitting)}/3) | {overfit.Diagnosis.OverfittingEpoch} |");
        Assert.AreEqual(_result.Trials.Count + 1, md.Split('\n').Count(l => l.StartsWith("| ", StringComparison.Ordinal)) - 2, "a row per trial and one for the constant prediction");
        foreach (var note in _result.Notes)
            StringAssert.Contains(md, note);
        StringAssert.Contains(md, $"**Best: trial {_result.BestTrial.Index}**");
    }

    [TestMethod]
    public void SameSeed_OneWorkerOrTwo_GivesTheSameTrialsAndTheSameBestModel()
    {
        var again = _ml.BinaryClassification.TuneDenseNetwork(_data, Options(parallel: 1));

        Assert.AreEqual(_result.Trials.Count, again.Trials.Count);
        for (int i = 0; i < again.Trials.Count; i++)
        {
            var (a, b) = (_result.Trials[i], again.Trials[i]);
            Assert.AreEqual(a.Change, b.Change);
            Assert.AreEqual(a.Epochs, b.Epochs);
            CollectionAssert.AreEqual(a.Metric.Values.ToArray(), b.Metric.Values.ToArray(), a.ToString());
            CollectionAssert.AreEqual(a.FoldDiagnoses.Select(d => d.Verdict).ToArray(), b.FoldDiagnoses.Select(d => d.Verdict).ToArray());
            Assert.AreEqual(a.Pruned, b.Pruned);
        }
        Assert.AreEqual(_result.BestTrial.Index, again.BestTrial.Index);
        CollectionAssert.AreEqual(_result.BestModel.Transform(_data).GetColumn<float>("Score").ToArray(),
            again.BestModel.Transform(_data).GetColumn<float>("Score").ToArray());
        Assert.AreEqual(7, again.Seed);
    }

    private sealed class Collect(ConcurrentBag<DenseNetworkTrial> bag) : IProgress<DenseNetworkTrial>
    {
        public void Report(DenseNetworkTrial value) => bag.Add(value);
    }
}
