using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Cli.Data;
using MlNetDeep.Cli.Training;

namespace MlNetDeep.Cli.FanOut;

/// <summary>
/// Cross-validation of a CSV/TSV file, run in this process (folds on parallel threads) or fanned out: a plan, one
/// worker per fold that writes the fold's model and metrics, and a merge into the same
/// <see cref="RepeatedCrossValidationResult{TMetrics}"/> the local run returns. Both read the file with
/// <see cref="TabularFile"/>, featurize it as <c>mlnetdeep train</c> does (fitted on each fold's training rows, inside
/// the fold) and split it with the plan's fold assignments, so a fold gives the same metrics wherever it runs.
/// </summary>
internal static class FoldFanOut
{
    /// <summary>Inspects the data file and writes down everything a worker needs.</summary>
    /// <exception cref="ArgumentException">The label or an ignored column is missing, or the task does not fit the label.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Fold or repeat counts out of range.</exception>
    public static FanOutPlan CreatePlan(string dataFile, string label, TaskKind? task, IReadOnlyCollection<string> ignore,
        int folds, int repeats, bool? stratify, int seed, TrainerSettings trainer, string outputDirectory)
    {
        string path = Path.GetFullPath(dataFile);
        var file = TabularFile.Inspect(path);
        var training = TrainingPlan.Create(file, label, task, ignore);
        bool stratified = stratify ?? training.Task != TaskKind.Regression; // the catalogs' defaults
        var ml = new MLContext(seed);
        var data = file.CreateLoader(ml).Load(path);
        var assignments = SplitPlanner.PlanFolds(data, folds, repeats, label, Mode(training.Task, stratified), seed);
        return new FanOutPlan
        {
            DataFile = path,
            DataBytes = new FileInfo(path).Length,
            DataSha256 = FanOutPlan.Sha256(path),
            Label = label,
            Task = training.Task,
            Ignore = ignore.ToArray(),
            NumberOfFolds = folds,
            NumberOfRepeats = repeats,
            Stratify = stratified,
            Seed = seed,
            Trainer = trainer,
            Assignments = assignments,
            OutputDirectory = Path.GetFullPath(outputDirectory),
        };
    }

    /// <summary>Runs every fold in this process, up to <paramref name="maxParallelFolds"/> at once.</summary>
    public static CrossValidationOutcome RunLocal(FanOutPlan plan, int maxParallelFolds, IProgress<OperationProgress>? progress = null)
    {
        var (ml, data, estimator) = Load(plan);
        var mode = Mode(plan.Task, plan.Stratify);
        return plan.Task switch
        {
            TaskKind.Binary => CrossValidationOutcome.From(CrossValidationRunner.Run(data, estimator, plan.NumberOfFolds, plan.NumberOfRepeats, plan.Label, mode, plan.Seed,
                s => EvaluateBinary(ml, s), MetricValues.Of, progress, maxParallelFolds: maxParallelFolds)),
            TaskKind.Multiclass => CrossValidationOutcome.From(CrossValidationRunner.Run(data, estimator, plan.NumberOfFolds, plan.NumberOfRepeats, plan.Label, mode, plan.Seed,
                s => ml.MulticlassClassification.Evaluate(s, TrainingPlan.LabelColumn), MetricValues.Of, progress, maxParallelFolds: maxParallelFolds)),
            _ => CrossValidationOutcome.From(CrossValidationRunner.Run(data, estimator, plan.NumberOfFolds, plan.NumberOfRepeats, plan.Label, mode, plan.Seed,
                s => ml.Regression.Evaluate(s, TrainingPlan.LabelColumn), MetricValues.Of, progress, maxParallelFolds: maxParallelFolds)),
        };
    }

    /// <summary>
    /// The worker: trains and evaluates task <paramref name="task"/>'s fold, writes its model.zip and result.json
    /// under <see cref="FanOutPlan.TaskDirectory"/>. A fold that fails writes a result saying why (and returns it);
    /// only a bad task number, a missing or changed data file or cancellation throw.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="task"/> is not a task of the plan.</exception>
    public static FoldTaskResult RunTask(FanOutPlan plan, int task)
    {
        if (task < 0 || task >= plan.TaskCount)
            throw new ArgumentOutOfRangeException(nameof(task), task,
                $"Invalid value for task: expected 0 to {plan.TaskCount - 1} ({plan.NumberOfRepeats} repeat(s) × {plan.NumberOfFolds} folds). Received: task={task}.");
        plan.CheckDataFile();
        int repeat = task / plan.NumberOfFolds, fold = task % plan.NumberOfFolds;
        var clock = Stopwatch.StartNew();
        var (ml, data, estimator) = Load(plan);
        var assignment = plan.Assignments[repeat];
        if (data.GetRowCount() is long rows && rows != assignment.Length)
            throw new InvalidDataException($"'{plan.DataFile}' has {rows} rows; the plan assigns {assignment.Length}.");
        var outcome = plan.Task switch
        {
            TaskKind.Binary => Describe(CrossValidationRunner.RunFold(data, estimator, assignment, repeat, fold, s => EvaluateBinary(ml, s), MetricValues.Of)),
            TaskKind.Multiclass => Describe(CrossValidationRunner.RunFold(data, estimator, assignment, repeat, fold,
                s => ml.MulticlassClassification.Evaluate(s, TrainingPlan.LabelColumn), MetricValues.Of)),
            _ => Describe(CrossValidationRunner.RunFold(data, estimator, assignment, repeat, fold, s => ml.Regression.Evaluate(s, TrainingPlan.LabelColumn), MetricValues.Of)),
        };
        string directory = plan.TaskDirectory(task);
        Directory.CreateDirectory(directory);
        if (outcome.Model is not null && outcome.Error is null)
            ml.Model.Save(outcome.Model, data.Schema, Path.Combine(directory, FoldTaskResult.ModelFileName));
        (outcome.Model as IDisposable)?.Dispose();
        var result = new FoldTaskResult
        {
            Task = task,
            Repeat = repeat,
            Fold = fold,
            Succeeded = outcome.Error is null,
            Error = outcome.Error,
            MetricValues = outcome.Values ?? new Dictionary<string, double>(),
            TrainingRowCount = outcome.TrainingRows,
            ValidationRowCount = outcome.ValidationRows,
            Seconds = clock.Elapsed.TotalSeconds,
            Host = Environment.MachineName,
        };
        result.Write(directory);
        return result;
    }

    /// <summary>
    /// Merges the workers' results into the result a local run returns: each fold's model is loaded from its zip and
    /// evaluated here on the fold's validation rows (so the result holds ML.NET's metrics objects), and the values
    /// must equal the worker's own evaluation. A task without a result, or whose worker reported a failure, is a
    /// failed fold carrying the reason.
    /// </summary>
    /// <exception cref="InvalidDataException">A loaded fold model scores differently from the worker's evaluation.</exception>
    /// <exception cref="AggregateException">Every fold failed.</exception>
    public static CrossValidationOutcome Merge(FanOutPlan plan, Func<int, string>? missingReason = null)
    {
        var (ml, data, _) = Load(plan);
        return plan.Task switch
        {
            TaskKind.Binary => CrossValidationOutcome.From(Merge(plan, ml, data, s => EvaluateBinary(ml, s), MetricValues.Of, missingReason)),
            TaskKind.Multiclass => CrossValidationOutcome.From(Merge(plan, ml, data, s => ml.MulticlassClassification.Evaluate(s, TrainingPlan.LabelColumn), MetricValues.Of, missingReason)),
            _ => CrossValidationOutcome.From(Merge(plan, ml, data, s => ml.Regression.Evaluate(s, TrainingPlan.LabelColumn), MetricValues.Of, missingReason)),
        };
    }

    private static RepeatedCrossValidationResult<TMetrics> Merge<TMetrics>(FanOutPlan plan, MLContext ml, IDataView data,
        Func<IDataView, TMetrics> evaluate, Func<TMetrics, IReadOnlyDictionary<string, double>> metricValues, Func<int, string>? missingReason)
        where TMetrics : class
    {
        var folds = new List<CrossValidationFoldResult<TMetrics>>(plan.TaskCount);
        for (int task = 0; task < plan.TaskCount; task++)
        {
            int repeat = task / plan.NumberOfFolds, fold = task % plan.NumberOfFolds;
            var assignment = plan.Assignments[repeat];
            var validationRows = Enumerable.Range(0, assignment.Length).Where(i => assignment[i] == fold).ToArray();
            int trainingRows = assignment.Length - validationRows.Length;
            string directory = plan.TaskDirectory(task);
            var written = FoldTaskResult.TryRead(directory);
            if (written is null || !written.Succeeded)
            {
                string reason = written?.Error ?? $"no {FoldTaskResult.FileName} in '{directory}'{(missingReason is null ? "" : ": " + missingReason(task))}";
                folds.Add(new(repeat, fold, validationRows, trainingRows, null, null, null, new FoldTaskException(task, reason)));
                continue;
            }
            var model = ml.Model.Load(Path.Combine(directory, FoldTaskResult.ModelFileName), out _);
            var metrics = evaluate(model.Transform(RowSubsetDataView.Select(data, assignment, fold, equal: true)));
            var values = metricValues(metrics);
            var differing = values.Where(v => !written.MetricValues.TryGetValue(v.Key, out double w) || !w.Equals(v.Value)).ToArray();
            if (differing.Length > 0)
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"Task {task}'s model, loaded from '{directory}', scores differently than its worker evaluated it: {string.Join(", ", differing.Select(d => $"{d.Key} {d.Value:R} here, {(written.MetricValues.TryGetValue(d.Key, out double w) ? w.ToString("R", CultureInfo.InvariantCulture) : "missing")} there"))}."));
            folds.Add(new(repeat, fold, validationRows, trainingRows, model, metrics, values, null));
        }
        return CrossValidationRunner.Summarize(folds, plan.NumberOfFolds, plan.NumberOfRepeats, Mode(plan.Task, plan.Stratify), plan.Seed);
    }

    private static (MLContext Ml, IDataView Data, IEstimator<ITransformer> Estimator) Load(FanOutPlan plan)
    {
        var file = TabularFile.Inspect(plan.DataFile);
        var training = TrainingPlan.Create(file, plan.Label, plan.Task, plan.Ignore);
        var ml = new MLContext(plan.Seed);
        var data = ml.Data.Cache(file.CreateLoader(ml).Load(plan.DataFile));
        var options = plan.Trainer.ToOptions();
        IEstimator<ITransformer> network = plan.Task switch
        {
            TaskKind.Binary => ml.BinaryClassification.Trainers.DenseNetwork(options),
            TaskKind.Multiclass => ml.MulticlassClassification.Trainers.DenseNetwork(options),
            _ => ml.Regression.Trainers.DenseNetwork(options),
        };
        return (ml, data, training.Featurize(ml).Append(network));
    }

    private static Stratification Mode(TaskKind task, bool stratify) =>
        !stratify ? Stratification.None : task == TaskKind.Regression ? Stratification.ByValueOrder : Stratification.ByClass;

    private static BinaryClassificationMetrics EvaluateBinary(MLContext ml, IDataView scored) =>
        scored.Schema.GetColumnOrNull("Probability") is null
            ? ml.BinaryClassification.EvaluateNonCalibrated(scored, TrainingPlan.LabelColumn)
            : ml.BinaryClassification.Evaluate(scored, TrainingPlan.LabelColumn);

    private static (ITransformer? Model, IReadOnlyDictionary<string, double>? Values, string? Error, int TrainingRows, int ValidationRows) Describe<TMetrics>(
        CrossValidationFoldResult<TMetrics> fold) where TMetrics : class =>
        (fold.Model, fold.Succeeded ? fold.MetricValues : null,
            fold.Exception is null ? null : $"{fold.Exception.GetType().Name}: {fold.Exception.Message}", fold.TrainingRowCount, fold.ValidationRowIndices.Count);
}
