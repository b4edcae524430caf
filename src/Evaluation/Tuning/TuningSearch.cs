using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep;

/// <summary>
/// The lecture's workflow (Chollet, ch. 5, §1.3–1.4) as a search: (1) a small first model against the constant
/// prediction; (2) the learning rate the range test suggests, checked against the default; (3) wider and deeper
/// models until the folds' mean learning curve reads Overfitting; (4) that model regularized — early stopping at the onset,
/// dropout, L2 — with successive halving pruning the weaker half of the candidates by epochs; (5) the best few
/// cross-validated again on fresh folds, the best mean chosen and refitted on all rows.
/// </summary>
internal sealed class TuningSearch
{
    /// <summary>The regularization the Regularize stage tries (the diagnosis' advice: dropout 0.2–0.5, L2 1e-4–1e-3).</summary>
    private static readonly double[] DropoutRates = { 0.2, 0.5 };
    private static readonly double[] L2Strengths = { 1e-4, 1e-3 };

    /// <summary>The lowest rate the ScaleUp stage lowers the learning rate to.</summary>
    private const double MinimumRate = 1e-6;

    /// <summary>The least relative fall of the range test's smoothed loss that makes its suggestion worth a trial (the diagnosis' 5% tolerance).</summary>
    private const double MinimumFinderFall = 0.05;

    /// <summary>How many trials the Choose stage re-evaluates.</summary>
    private const int Finalists = 3;

    private readonly TuningTask _task;
    private readonly IDataView _data;
    private readonly DenseNetworkTuningOptions _options;
    private readonly DenseNetworkOptions _template;
    private readonly int _seed;
    private readonly List<string> _notes = new();
    private IDataView _cached = null!;
    private FoldPlan _plan = null!;
    private TrialRunner _runner = null!;
    private LearningRateFinderResult? _finder;

    private TuningSearch(TuningTask task, IDataView data, DenseNetworkTuningOptions options, int seed)
    {
        _task = task;
        _data = data;
        _options = options;
        _seed = seed;
        _template = options.Template();
        _template.LabelColumnName = options.LabelColumnName;
        _template.FeatureColumnName = options.FeatureColumnName;
        _template.Seed = seed;
        _template.ValidationFraction = options.ValidationFraction; // shown in each trial's options: the share each fold held out
        _template.Progress = null;
        _template.CancellationToken = default;
    }

    /// <exception cref="ArgumentNullException"><paramref name="trainData"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid (the message lists every one), a column is missing or of the wrong type, or there are too few rows for the folds.</exception>
    /// <exception cref="TimeoutException">MaxTime ran out before any trial finished.</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token was cancelled.</exception>
    public static DenseNetworkTuningResult Run(TuningTask task, IDataView trainData, DenseNetworkTuningOptions? options)
    {
        ArgumentNullException.ThrowIfNull(trainData);
        var o = (options ?? new DenseNetworkTuningOptions()).Clone();
        o.Validate();
        int seed = o.Seed ?? Random.Shared.Next();
        return new TuningSearch(task, trainData, o, seed).Run();
    }

    private DenseNetworkTuningResult Run()
    {
        var check = _template.Clone();
        check.ValidationFraction = 0;
        _task.CheckSchema(check, _data); // column names and types, before anything is read
        var columns = new List<string> { _options.LabelColumnName, _options.FeatureColumnName };
        if (_template.ExampleWeightColumnName is { } weight)
            columns.Add(weight);
        var ml = new MLContext(_seed);
        // every fold of every trial reads these rows: keep only the columns training needs, in memory
        _cached = ml.Data.Cache(ml.Transforms.SelectColumns(columns.ToArray()).Fit(_data).Transform(_data));
        _plan = FoldPlan.Create(_cached, _task, _options.LabelColumnName, _options.NumberOfFolds, _options.NumberOfRepeats,
            _options.ValidationFraction, _template.RegressionLoss, _seed);
        int inputSize = ((VectorDataViewType)_data.Schema[_options.FeatureColumnName].Type).Size;
        _runner = new TrialRunner(_task, _plan, _options, inputSize, _seed);

        var first = Baseline();
        var chosen = LearningRate(first);
        var overfit = ScaleUp(chosen);
        if (overfit is not null)
            Regularize(overfit);
        var (best, bestMean, reason) = Choose();
        if (_runner.StopReason is { } stop)
            _notes.Add(stop);

        var bestOptions = RefitOptions(best);
        var bestModel = _task.Fit(WithToken(bestOptions, _options.CancellationToken), _data);
        return new DenseNetworkTuningResult(_task, _runner.Trials, best, bestMean, reason, bestOptions, bestModel,
            MetricSummary.FromValues("ConstantPrediction" + DenseNetworkTrial.MetricName, _plan.FirstRepeats(1).Select(f => f.HeldOutBaseline)),
            _finder, _seed, _options.NumberOfFolds, _options.NumberOfRepeats, _plan.Rows, _runner.Elapsed, !_runner.Stopped, _notes);
    }

    /// <summary>(1) The small first model with the base options; it must beat the constant prediction.</summary>
    private DenseNetworkTrial Baseline()
    {
        var layers = _options.Architectures[0];
        var spec = new TrialSpec(TuningStage.Baseline, F($"HiddenLayerSizes {Layers(layers)}, LearningRate {_template.LearningRate:G3}"), null, Make(layers, _template.LearningRate));
        var trial = _runner.Run(new[] { spec })[0]
            ?? throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                $"MaxTime ({_options.MaxTime}) ran out after {_runner.Elapsed.TotalSeconds:0.##} s, before the first trial ({_options.NumberOfFolds} folds of HiddenLayerSizes {Layers(layers)}, {_template.Epochs} epochs) finished: no trial to choose from. Allow more time, or use fewer folds, epochs or rows."));
        double constant = _plan.FirstRepeats(1).Average(f => f.HeldOutBaseline);
        _notes.Add(trial.Metric.Mean < constant
            ? F($"Baseline: trial {trial.Index} ({Layers(layers)}) beats the constant prediction: held-out loss {trial.Metric.Mean:G4} vs {constant:G4}.")
            : F($"Baseline: trial {trial.Index} ({Layers(layers)}) does not beat the constant prediction (held-out loss {trial.Metric.Mean:G4} vs {constant:G4}): {trial.Diagnosis.Verdict}; the learning rate is next."));
        return trial;
    }

    /// <summary>(2) The range test's rate on the small model, kept when cross-validation says it beats the default.</summary>
    private DenseNetworkTrial LearningRate(DenseNetworkTrial baseline)
    {
        var finderOptions = baseline.Options;
        finderOptions.ValidationFraction = 0;
        _finder = _runner.TryRun("the learning-rate range test", token => _task.FindLearningRate(WithToken(finderOptions, token), _cached));
        if (_finder is null)
            return baseline;
        double suggested = _finder.SuggestedLearningRate;
        double current = baseline.Options.LearningRate;
        int lowest = IndexOf(_finder.LearningRates, _finder.MinimumLossLearningRate);
        double start = _finder.Losses.FirstOrDefault(double.IsFinite, double.NaN);
        double fall = lowest < 0 ? 0 : (start - _finder.Losses[lowest]) / Math.Abs(start);
        if (lowest < _finder.LearningRates.Count / 10 || !(fall >= MinimumFinderFall))
        {
            // the smoothed loss never fell clearly as the rate rose: the test measured noise, and its "suggestion" is arbitrary
            string why = lowest < _finder.LearningRates.Count / 10
                ? F($"was lowest at step {lowest + 1} of {_finder.LearningRates.Count} (rate {_finder.MinimumLossLearningRate:G3}): it never fell as the rate rose")
                : F($"fell only {fall * 100:0.#}% from its start (under {MinimumFinderFall * 100:0}%)");
            _notes.Add(F($"Learning rate: the range test's smoothed loss {why}, so its suggestion {suggested:G3} means nothing; LearningRate {current:G3} kept."));
            return baseline;
        }
        if (!(suggested > 0) || !double.IsFinite(suggested) || Math.Abs(Math.Log10(suggested / current)) < 0.05)
        {
            _notes.Add(F($"Learning rate: FindLearningRate suggested {suggested:G3}, the same as the default {current:G3}: no trial needed."));
            return baseline;
        }
        var spec = new TrialSpec(TuningStage.LearningRate, F($"LearningRate {suggested:G3} (FindLearningRate)"), baseline.Index,
            Make(_options.Architectures[0], suggested));
        var trial = _runner.Run(new[] { spec })[0];
        if (trial is null)
            return baseline;
        var better = trial.Rank < baseline.Rank ? trial : baseline;
        _notes.Add(F($"Learning rate: FindLearningRate suggested {suggested:G3}; trial {trial.Index} at that rate scored {trial.Metric.Mean:G4} vs {baseline.Metric.Mean:G4} at {current:G3}: LearningRate {better.Options.LearningRate:G3} kept."));
        return better;
    }

    /// <summary>(3) Wider and deeper models at the chosen rate until the folds' mean curve reads Overfitting; returns the model to regularize.</summary>
    private DenseNetworkTrial? ScaleUp(DenseNetworkTrial start)
    {
        if (start.Diagnosis.Verdict == FitVerdict.Overfitting)
        {
            _notes.Add(F($"Scale up: not needed, trial {start.Index} ({Layers(start.Options.HiddenLayerSizes!)}) already overfits (from epoch {start.Diagnosis.OverfittingEpoch})."));
            return start;
        }
        double rate = start.Options.LearningRate;
        var previous = start;
        var climbed = new List<DenseNetworkTrial> { start };
        for (int i = 1; i < _options.Architectures.Count; i++)
        {
            var layers = _options.Architectures[i];
            var spec = new TrialSpec(TuningStage.ScaleUp, F($"HiddenLayerSizes {Layers(layers)}"), previous.Index, Make(layers, rate));
            var trial = _runner.Run(new[] { spec })[0];
            if (trial is null)
                return null;
            climbed.Add(trial);
            if (!Learns(trial) && Learns(previous) && rate / 10 >= MinimumRate)
            {
                // the smaller model learned at this rate and the larger one does not: the lecture's first suspect is
                // the rate (a larger model often needs a smaller one), so try it 10× lower before climbing on
                double lower = rate / 10;
                var retry = _runner.Run(new[] { new TrialSpec(TuningStage.ScaleUp, F($"HiddenLayerSizes {Layers(layers)}, LearningRate {lower:G3}"), trial.Index, Make(layers, lower)) })[0];
                if (retry is null)
                    return null;
                climbed.Add(retry);
                _notes.Add(F($"Scale up: trial {trial.Index} ({Layers(layers)}) read {trial.Diagnosis.Verdict} at LearningRate {rate:G3}; trial {retry.Index} at {lower:G3} read {retry.Diagnosis.Verdict} and scored {retry.Metric.Mean:G4} vs {trial.Metric.Mean:G4}: LearningRate {(retry.Rank < trial.Rank ? lower : rate):G3} kept."));
                if (retry.Rank < trial.Rank)
                {
                    rate = lower;
                    trial = retry;
                }
            }
            if (trial.Diagnosis.Verdict == FitVerdict.Overfitting)
            {
                _notes.Add(F($"Scale up: trial {trial.Index} ({Layers(layers)}) is the first to overfit. {string.Join(" ", trial.Diagnosis.Evidence.Take(2))} It is regularized next."));
                return trial;
            }
            previous = trial;
        }
        var best = climbed.OrderBy(t => t.Rank).ThenBy(t => t.Index).First();
        _notes.Add(F($"Scale up: no model of the ladder overfit within {_template.Epochs} epochs (the largest read {previous.Diagnosis.Verdict}); regularizing the best of them, trial {best.Index} ({Layers(best.Options.HiddenLayerSizes!)}). More Epochs or a larger ladder (Architectures) would let one overfit."));
        return best;
    }

    /// <summary>(4) Early stopping, stopping at the onset, dropout and L2 on the model that overfits, pruned by successive halving.</summary>
    private void Regularize(DenseNetworkTrial overfit)
    {
        var b = overfit.Options;
        int epochs = b.Epochs;
        int patience = Math.Max(2, epochs / 10);
        string stopping = F($"EarlyStopping (Patience {patience}, RestoreBestWeights)");
        DenseNetworkOptions With(Action<DenseNetworkOptions> change)
        {
            var o = b.Clone();
            change(o);
            return o;
        }
        EarlyStoppingOptions Stopping() => new() { Monitor = "val_loss", Patience = patience, RestoreBestWeights = true };

        var candidates = new List<TrialSpec>
        {
            new(TuningStage.Regularize, stopping, overfit.Index, With(o => o.EarlyStopping = Stopping())),
        };
        if (overfit.Diagnosis.OverfittingEpoch is int onset && onset < epochs)
            candidates.Add(new(TuningStage.Regularize, F($"Epochs {onset} (stop at the onset)"), overfit.Index, With(o => o.Epochs = onset)));
        foreach (double rate in DropoutRates)
            candidates.Add(new(TuningStage.Regularize, F($"DropoutRate {rate:G3} + early stopping"), overfit.Index, With(o => { o.DropoutRate = rate; o.EarlyStopping = Stopping(); })));
        foreach (double l2 in L2Strengths)
            candidates.Add(new(TuningStage.Regularize, F($"L2Regularization {l2:G3} + early stopping"), overfit.Index, With(o => { o.L2Regularization = l2; o.EarlyStopping = Stopping(); })));

        var story = SuccessiveHalving.Run(_runner, candidates, epochs);
        if (story is not null)
            _notes.Add(F($"Regularize trial {overfit.Index}: {story}."));
    }

    /// <summary>
    /// (5) The one-standard-error rule over the trials, the best few (by mean) and the rule's pick cross-validated again
    /// on every repeat of the folds, and the rule applied to those: the simplest trial within one standard error of the
    /// best mean wins.
    /// </summary>
    private (DenseNetworkTrial Chosen, DenseNetworkTrial BestMean, string Reason) Choose()
    {
        var tried = _runner.Trials.ToArray();
        var first = OneStandardErrorRule.Choose(tried.Select(Candidate).ToArray(), higherIsBetter: false, "trial");
        if (_options.NumberOfRepeats > 1 && !_runner.Stopped)
        {
            var finalists = tried.OrderBy(t => t.Rank).ThenBy(t => t.Index).Take(Finalists).ToList();
            var simplest = tried.First(t => t.Index == first.Chosen.Id);
            bool added = !finalists.Contains(simplest);
            if (added)
                finalists.Add(simplest);
            var specs = finalists.Select(t => new TrialSpec(TuningStage.Choose,
                F($"trial {t.Index} on {_options.NumberOfRepeats} × {_options.NumberOfFolds} folds"), t.Index, t.Options, _options.NumberOfRepeats, t)).ToArray();
            var rerun = _runner.Run(specs).Where(t => t is not null).Select(t => t!).ToArray();
            if (rerun.Length > 0)
            {
                var choice = OneStandardErrorRule.Choose(rerun.Select(Candidate).ToArray(), higherIsBetter: false, "trial");
                var chosen = rerun.First(t => t.Index == choice.Chosen.Id);
                var bestMean = rerun.First(t => t.Index == choice.BestMean.Id);
                string which = added
                    ? F($"the best {Finalists} trials by mean ({string.Join(", ", finalists.Take(Finalists).Select(t => t.Index))}) and trial {simplest.Index}, the simplest within one standard error of the best on the first shuffle,")
                    : F($"the best {finalists.Count} trials by mean ({string.Join(", ", finalists.Select(t => t.Index))})");
                _notes.Add(F($"Choose (one-standard-error rule, on the mean held-out loss): {which} cross-validated on {_options.NumberOfRepeats} shuffles of {_options.NumberOfFolds} folds; {choice.Reason}. Trial {chosen.Index} (trial {chosen.BasedOn}'s options) is chosen."));
                return (chosen, bestMean, choice.Reason);
            }
        }
        var pick = tried.First(t => t.Index == first.Chosen.Id);
        _notes.Add(F($"Choose (one-standard-error rule, on the mean held-out loss): {first.Reason}. Trial {pick.Index} is chosen."));
        return (pick, tried.First(t => t.Index == first.BestMean.Id), first.Reason);
    }

    /// <summary>The trial as the one-standard-error rule sees it: its held-out loss over the folds and its complexity.</summary>
    private SelectionCandidate Candidate(DenseNetworkTrial trial)
        => new(trial.Index, trial.Metric, !double.IsPositiveInfinity(trial.Rank), Complexity(trial.Options, KeptEpochs(trial), _runner.InputSize, _plan.Outputs));

    /// <summary>The complexity of a network of these options with this input size and output count.</summary>
    internal static ModelComplexity Complexity(DenseNetworkOptions options, double epochs, int inputSize, int outputs)
    {
        long parameters = 0;
        long previous = inputSize;
        foreach (int units in options.HiddenLayerSizes ?? DenseNetworkOptions.Defaults.HiddenLayerSizes)
        {
            parameters += (previous + 1) * units;
            previous = units;
        }
        parameters += (previous + 1) * outputs;
        return new ModelComplexity(parameters, options.DropoutRate, options.L2Regularization, epochs);
    }

    /// <summary>The epochs the trial's networks keep: its budget, or with early stopping the median over the folds of the epoch each kept (what the refit trains for).</summary>
    private static int KeptEpochs(DenseNetworkTrial trial)
    {
        if (trial.Options.EarlyStopping is null)
            return trial.Epochs;
        var kept = trial.Histories.Select(h => h.RestoredBestWeights && h.BestEpoch is int e ? e : h.Count).OrderBy(e => e).ToArray();
        return Math.Max(1, kept[(kept.Length - 1) / 2]);
    }

    /// <summary>
    /// The best trial's options for training on all rows: no validation split, and early stopping replaced by the
    /// number of epochs it kept (the median over the folds), as the lecture retrains "for exactly that number of epochs".
    /// </summary>
    private DenseNetworkOptions RefitOptions(DenseNetworkTrial best)
    {
        var o = best.Options;
        o.ValidationFraction = 0;
        o.ValidationData = null;
        if (o.EarlyStopping is not null)
        {
            o.Epochs = KeptEpochs(best);
            o.EarlyStopping = null;
        }
        return o;
    }

    /// <summary>True when the folds' verdict says the model learned something that generalizes (it got past the first three of the lecture's problems).</summary>
    private static bool Learns(DenseNetworkTrial trial) => trial.Diagnosis.Verdict is not (FitVerdict.Diverged or FitVerdict.NotLearning or FitVerdict.NotGeneralizing);

    private static int IndexOf(IReadOnlyList<double> values, double value)
    {
        for (int i = 0; i < values.Count; i++)
        {
            if (values[i] == value)
                return i;
        }
        return -1;
    }

    private DenseNetworkOptions Make(int[] layers, double learningRate)
    {
        var o = _template.Clone();
        o.HiddenLayerSizes = (int[])layers.Clone();
        o.LearningRate = learningRate;
        return o;
    }

    private static DenseNetworkOptions WithToken(DenseNetworkOptions options, CancellationToken token)
    {
        var o = options.Clone();
        o.CancellationToken = token;
        return o;
    }

    internal static string Layers(int[] sizes) => "[" + string.Join(", ", sizes) + "]";

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
