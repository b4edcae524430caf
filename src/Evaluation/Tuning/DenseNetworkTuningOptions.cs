using System.Globalization;
using MlNetDeep.Common;

namespace MlNetDeep;

/// <summary>
/// Options of <c>TuneDenseNetwork</c>, the lecture's workflow as a search: baseline, learning rate, scale up until the
/// model overfits, regularize, choose by repeated K-fold. The search copies them when it starts; changing this object
/// afterwards does not affect it.
/// </summary>
public sealed class DenseNetworkTuningOptions
{
    /// <summary>The label column: Boolean (binary), key (multiclass) or Single (regression), as for the DenseNetwork trainers.</summary>
    /// <value>The default value is "Label".</value>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>The feature column: a known-size vector of Single.</summary>
    /// <value>The default value is "Features".</value>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>
    /// The wall-clock budget of the search. No trial starts when the time left cannot fit it (estimated from the
    /// trials so far, and keeping time for the final refit on all rows); a trial still running at the end is
    /// cancelled through <see cref="DenseNetworkOptions.CancellationToken"/> and left out. The search then returns the
    /// trials it finished, with a note saying so; it throws <see cref="TimeoutException"/> only when no trial finished.
    /// The refit of the best options on all rows always runs, so the total may exceed the budget by less than one fit.
    /// <see cref="Timeout.InfiniteTimeSpan"/> for no limit.
    /// </summary>
    /// <value>The default value is 10 minutes.</value>
    public TimeSpan MaxTime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The most trials (cross-validated option sets, each at one epoch budget) the search runs, all stages together.</summary>
    /// <value>The default value is 30 (a full run on the default ladder takes about 20).</value>
    public int MaxTrials { get; set; } = 30;

    /// <summary>K of the stratified K-fold cross-validation every trial is scored by (regression labels are stratified by value order).</summary>
    /// <value>The default value is 5.</value>
    public int NumberOfFolds { get; set; } = 5;

    /// <summary>
    /// How many times the rows are shuffled and split K ways for the finalists of the <see cref="TuningStage.Choose"/>
    /// stage (repeated, "iterated" K-fold); the other trials use the first split only, so every trial is scored on the
    /// same folds. 1 skips the re-evaluation and chooses among the search's trials.
    /// </summary>
    /// <value>The default value is 2.</value>
    public int NumberOfRepeats { get; set; } = 2;

    /// <summary>
    /// The share of each fold's training rows held out (stratified) as the fold network's validation data: its
    /// per-epoch validation loss is what the diagnosis and early stopping read, while the trial's metric comes from
    /// the fold's own held-out rows, which training never sees.
    /// </summary>
    /// <value>The default value is 0.2 (the lecture's <c>validation_split=0.2</c>).</value>
    public double ValidationFraction { get; set; } = 0.2;

    /// <summary>
    /// Seed of the folds, the learning-rate finder and every network: the same seed gives the same trials, metrics
    /// and best model, whatever <see cref="MaxParallelTrials"/> is (each fold of each trial trains on one libtorch
    /// thread with a seed derived from this one, the repeat and the fold). Null draws one, recorded in
    /// <see cref="DenseNetworkTuningResult.Seed"/>.
    /// </summary>
    /// <value>The default value is null.</value>
    public int? Seed { get; set; }

    /// <summary>
    /// How many networks train at once: the folds of a trial and the trials of a stage (the candidates of a
    /// successive-halving rung, the finalists) are spread over this many workers. Each network trains on one libtorch
    /// thread (<see cref="DenseNetworkOptions.NumberOfThreads"/> null means 1; libtorch's thread count is per calling
    /// thread), so parallel trainings do not wait for each other's OpenMP threads; more workers than free cores only
    /// makes each slower.
    /// </summary>
    /// <value>The default value is <see cref="Environment.ProcessorCount"/>.</value>
    public int MaxParallelTrials { get; set; } = Environment.ProcessorCount;

    /// <summary>Receives each trial as it finishes (with its metric and diagnosis), from the thread that finished it.</summary>
    /// <value>The default value is null.</value>
    public IProgress<DenseNetworkTrial>? Progress { get; set; }

    /// <summary>Cancels the whole search: <c>TuneDenseNetwork</c> throws <see cref="OperationCanceledException"/> within one mini-batch.</summary>
    /// <value>The default value is <see cref="CancellationToken.None"/>.</value>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>
    /// The template every trial starts from: optimizer, batch size, <see cref="DenseNetworkOptions.Epochs"/> (the full
    /// budget of a trial; <see cref="TuningStage.ScaleUp"/> trials, and the regularized variants of one, train three times
    /// as many, so a larger model at a lower rate can reach its U-turn), activation, normalization and the rest. Its <see cref="DenseNetworkOptions.LearningRate"/>
    /// is the default rate the finder's suggestion is checked against. The search sets the column names,
    /// <c>HiddenLayerSizes</c> (from <see cref="Architectures"/>), <c>LearningRate</c>, <c>DropoutRate</c>,
    /// <c>L2Regularization</c>, <c>EarlyStopping</c>, <c>Epochs</c> (shorter budgets while pruning), <c>Seed</c> and the
    /// validation rows, and turns off <c>Progress</c>; the template must have no validation data, no early stopping and
    /// no callbacks (a search trains many networks at once, and chooses early stopping itself).
    /// </summary>
    /// <value>The default value is null: <see cref="DenseNetworkOptions"/>' defaults with <c>Epochs = 20</c> (the lecture's runs; enough epochs for a large model to show its U-turn).</value>
    public DenseNetworkOptions? BaseOptions { get; set; }

    /// <summary>
    /// The scale-up ladder of hidden layer sizes, smallest first: the first is the small first model of the
    /// <see cref="TuningStage.Baseline"/> and <see cref="TuningStage.LearningRate"/> stages; the
    /// <see cref="TuningStage.ScaleUp"/> stage climbs the rest until a model overfits and a larger one no longer does better. An empty array is a model
    /// without hidden layers (logistic, softmax or linear regression).
    /// </summary>
    /// <value>The default value is { 16 }, { 64 }, { 64, 64 }, { 256, 256 }, { 512, 512, 512 }: wider, then deeper.</value>
    public IList<int[]> Architectures { get; set; } = DefaultArchitectures();

    /// <summary>The clock the time budget is read from; tests replace it.</summary>
    internal TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Where the folds of each batch of trials train: null for threads of this process (<see cref="MaxParallelTrials"/>
    /// of them); the command line's <c>train --slurm</c> sets a job array on a Slurm cluster. Called once per search.
    /// </summary>
    internal Func<FoldExecutorContext, IFoldExecutor>? FoldExecutor { get; set; }

    /// <summary>The epochs of a trial when <see cref="BaseOptions"/> is null.</summary>
    internal const int DefaultEpochs = 20;

    private static List<int[]> DefaultArchitectures() => new()
    {
        new[] { 16 },
        new[] { 64 },
        new[] { 64, 64 },
        new[] { 256, 256 },
        new[] { 512, 512, 512 },
    };

    /// <summary>A copy whose lists, arrays and base options are not shared with this object.</summary>
    internal DenseNetworkTuningOptions Clone()
    {
        var copy = (DenseNetworkTuningOptions)MemberwiseClone();
        copy.BaseOptions = BaseOptions?.Clone();
        copy.Architectures = Architectures?.Select(a => (int[])a?.Clone()!).ToList()!;
        return copy;
    }

    /// <summary>The template with the defaults filled in (a copy).</summary>
    internal DenseNetworkOptions Template() => BaseOptions?.Clone() ?? new DenseNetworkOptions { Epochs = DefaultEpochs };

    /// <summary>Checks every option (and the base options) and throws one exception listing every invalid one.</summary>
    /// <exception cref="ArgumentException">One or more options are invalid; the message lists each.</exception>
    public void Validate()
    {
        var errors = new OptionErrors();
        errors.Check(!string.IsNullOrWhiteSpace(LabelColumnName), nameof(LabelColumnName), "a column name", LabelColumnName);
        errors.Check(!string.IsNullOrWhiteSpace(FeatureColumnName), nameof(FeatureColumnName), "a column name", FeatureColumnName);
        errors.Check(MaxTime > TimeSpan.Zero || MaxTime == Timeout.InfiniteTimeSpan, nameof(MaxTime), "a positive time span, or Timeout.InfiniteTimeSpan for no limit", MaxTime);
        errors.Check(MaxTrials >= 1, nameof(MaxTrials), "an integer >= 1", MaxTrials);
        errors.Check(NumberOfFolds >= 2, nameof(NumberOfFolds), "an integer >= 2", NumberOfFolds);
        errors.Check(NumberOfRepeats >= 1, nameof(NumberOfRepeats), "an integer >= 1", NumberOfRepeats);
        errors.Check(ValidationFraction > 0 && ValidationFraction < 1, nameof(ValidationFraction),
            "a number in (0, 1): the diagnosis and early stopping read each fold's validation loss", ValidationFraction);
        errors.Check(MaxParallelTrials >= 1, nameof(MaxParallelTrials), "an integer >= 1", MaxParallelTrials);
        if (Architectures is null || Architectures.Count == 0)
            errors.Check(false, nameof(Architectures), "at least one list of hidden layer sizes", Architectures is null ? null : "[]");
        else
        {
            for (int i = 0; i < Architectures.Count; i++)
            {
                var sizes = Architectures[i];
                string name = string.Create(CultureInfo.InvariantCulture, $"{nameof(Architectures)}[{i}]");
                if (sizes is null)
                    errors.Check(false, name, "an array of hidden layer sizes (empty for no hidden layer)", null);
                else
                    errors.Check(sizes.All(s => s > 0), name, "every layer size > 0", "[" + string.Join(", ", sizes) + "]");
            }
        }

        if (BaseOptions is { } b)
        {
            const string prefix = nameof(BaseOptions) + ".";
            errors.Check(b.ValidationData is null, prefix + nameof(DenseNetworkOptions.ValidationData),
                "null (each fold's validation rows are held out by the search; see ValidationFraction)", "set");
            errors.Check(b.ValidationFraction == 0, prefix + nameof(DenseNetworkOptions.ValidationFraction),
                "0 (set DenseNetworkTuningOptions.ValidationFraction instead)", b.ValidationFraction);
            errors.Check(b.EarlyStopping is null, prefix + nameof(DenseNetworkOptions.EarlyStopping),
                "null (the search must see a model overfit before it adds early stopping in its Regularize stage)", "set");
            errors.Check(b.Callbacks is { Count: 0 }, prefix + nameof(DenseNetworkOptions.Callbacks),
                "an empty list (the search trains many networks at once; one callback object would be shared by all)",
                b.Callbacks is null ? null : string.Create(CultureInfo.InvariantCulture, $"{b.Callbacks.Count} callback(s)"));
            // the rest of the template is checked by its own Validate (the four above are left out: already reported)
            var rest = b.Clone();
            rest.ValidationData = null;
            rest.ValidationFraction = 0;
            rest.EarlyStopping = null;
            rest.Callbacks = new List<IEpochCallback>();
            foreach (var problem in BaseOptionProblems(rest))
                errors.Add(problem);
        }

        errors.ThrowIfAny(nameof(DenseNetworkTuningOptions), "options");
    }

    /// <summary>The base options' own problems, each renamed "BaseOptions.X".</summary>
    private static IEnumerable<string> BaseOptionProblems(DenseNetworkOptions options)
    {
        try
        {
            options.Validate();
            return Array.Empty<string>();
        }
        catch (ArgumentException ex)
        {
            // DenseNetworkOptions.Validate lists one "Invalid value for X: expected Y. Received: X=Z." per line after its header
            string message = ex.Message;
            int parameter = message.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
            if (parameter >= 0)
                message = message[..parameter];
            return message.Split('\n').Skip(1)
                .Select(line => line
                    .Replace("Invalid value for ", "Invalid value for BaseOptions.", StringComparison.Ordinal)
                    .Replace("Received: ", "Received: BaseOptions.", StringComparison.Ordinal))
                .ToArray();
        }
    }
}
