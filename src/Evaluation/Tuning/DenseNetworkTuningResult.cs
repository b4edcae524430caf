using System.Globalization;

namespace MlNetDeep;

/// <summary>
/// What <c>TuneDenseNetwork</c> found: every trial in the lecture's order (with its options, metric over the folds,
/// histories and diagnosis), the best trial's options and the network refitted with them on all rows, and the story
/// of the search (<see cref="Notes"/>, <see cref="ToMarkdown"/>).
/// </summary>
public sealed class DenseNetworkTuningResult
{
    private readonly TuningTask _task;
    private readonly DenseNetworkOptions _bestOptions;

    internal DenseNetworkTuningResult(TuningTask task, IReadOnlyList<DenseNetworkTrial> trials, DenseNetworkTrial best,
        DenseNetworkTrial bestMean, string choiceReason, DenseNetworkOptions bestOptions, DenseNetworkTransformer bestModel, MetricSummary baseline, LearningRateFinderResult? finder,
        int seed, int numberOfFolds, int numberOfRepeats, int rows, TimeSpan elapsed, bool completed, IReadOnlyList<string> notes)
    {
        _task = task;
        Trials = trials.ToArray();
        BestTrial = best;
        BestMeanTrial = bestMean;
        ChoiceReason = choiceReason;
        _bestOptions = bestOptions;
        BestModel = bestModel;
        BaselineMetric = baseline;
        LearningRateFinder = finder;
        Seed = seed;
        NumberOfFolds = numberOfFolds;
        NumberOfRepeats = numberOfRepeats;
        RowCount = rows;
        Elapsed = elapsed;
        Completed = completed;
        Notes = notes.ToArray();
    }

    /// <summary>Every trial that finished, in the order the search planned them (stage by stage, as the lecture goes).</summary>
    public IReadOnlyList<DenseNetworkTrial> Trials { get; }

    /// <summary>
    /// The chosen trial, by the one-standard-error rule (Breiman et al., 1984; Hastie, Tibshirani and Friedman,
    /// <i>The Elements of Statistical Learning</i>, §7.10): among the finalists' repeated cross-validation (among all
    /// trials when there was none), the simplest trial whose mean <see cref="DenseNetworkTrial.Metric"/> is within one
    /// standard error (SD / √(folds × repeats)) of the lowest mean — fewest parameters, then the higher dropout rate,
    /// the stronger L2 penalty, the fewer epochs kept. A larger model whose lead is within the folds' noise is not chosen.
    /// When a budget (MaxTime, MaxTrials) ended the search before the finalists' repeated cross-validation, the rule's
    /// pick was never checked on fresh folds, and the trial with the lowest mean is chosen instead (the report says
    /// which trial the rule would have picked).
    /// </summary>
    public DenseNetworkTrial BestTrial { get; }

    /// <summary>The trial with the lowest mean <see cref="DenseNetworkTrial.Metric"/> among those <see cref="BestTrial"/> was chosen from; the same trial when no simpler one was within one standard error of it.</summary>
    public DenseNetworkTrial BestMeanTrial { get; }

    /// <summary>Why <see cref="BestTrial"/> was chosen: the best mean, its standard error, the trials within it and the simplest of them.</summary>
    internal string ChoiceReason { get; }

    /// <summary>
    /// A copy of the options <see cref="BestModel"/> was trained with: the best trial's options for all rows — no
    /// validation split, and when the trial used early stopping, <see cref="DenseNetworkOptions.Epochs"/> set to the
    /// epochs it kept (the median over the folds) instead, as the lecture retrains on all the data "for exactly that
    /// number of epochs". Fitting them on the same rows gives the same network (same seed).
    /// </summary>
    public DenseNetworkOptions BestOptions => _bestOptions.Clone();

    /// <summary>The network trained with <see cref="BestOptions"/> on every row of the data given to the search; ready to score, save and export.</summary>
    public DenseNetworkTransformer BestModel { get; }

    /// <summary>The name of the metric the search minimizes: "HeldOutLoss", each fold network's loss on the fold's held-out rows (lower is better).</summary>
    public string MetricName => DenseNetworkTrial.MetricName;

    /// <summary>The same loss for the best constant prediction (the training rows' class priors, or their mean), per fold: the common-sense baseline every trial must beat.</summary>
    public MetricSummary BaselineMetric { get; }

    /// <summary>The learning-rate range test of the <see cref="TuningStage.LearningRate"/> stage (on all rows, the first architecture); null when the search stopped before it.</summary>
    public LearningRateFinderResult? LearningRateFinder { get; }

    /// <summary>The seed of the search (the one given, or the one drawn); passing it again reproduces the trials and the best model.</summary>
    public int Seed { get; }

    /// <summary>K of the K-fold cross-validation.</summary>
    public int NumberOfFolds { get; }

    /// <summary>The repeats of the K folds the finalists were cross-validated on.</summary>
    public int NumberOfRepeats { get; }

    /// <summary>Rows in the data.</summary>
    public int RowCount { get; }

    /// <summary>Wall-clock time of the whole search, the refit of the best model on all rows included.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>False when MaxTime or MaxTrials stopped the search before its last stage; <see cref="Notes"/> says where.</summary>
    public bool Completed { get; }

    /// <summary>What each stage found and decided, in order, and why the search stopped early if it did.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The search as markdown: the setting, a table of every trial (stage, change, epochs, metric mean ± SD, verdict, onset), the notes and the best trial's diagnosis.</summary>
    public string ToMarkdown() => TuningReport.ToMarkdown(this, _task);

    /// <inheritdoc />
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture,
            $"{Trials.Count} trials in {Elapsed.TotalSeconds:0.#} s{(Completed ? "" : " (stopped early)")}; best: {BestTrial}");
}
