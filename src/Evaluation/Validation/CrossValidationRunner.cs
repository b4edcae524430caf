using System.Globalization;
using Microsoft.ML;

namespace MlNetDeep;

/// <summary>The task-independent loop of repeated K-fold cross-validation behind the catalog methods.</summary>
internal static class CrossValidationRunner
{
    public static RepeatedCrossValidationResult<TMetrics> Run<TMetrics>(IDataView data, IEstimator<ITransformer> estimator,
        int numberOfFolds, int numberOfRepeats, string labelColumnName, Stratification mode, int? seed,
        Func<IDataView, TMetrics> evaluate, Func<TMetrics, IReadOnlyDictionary<string, double>> metricValues,
        IProgress<OperationProgress>? progress = null, string operation = "RepeatedCrossValidate", int maxParallelFolds = 1)
        where TMetrics : class
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(labelColumnName);
        SplitPlanner.CheckFoldCounts(numberOfFolds, numberOfRepeats);
        if (maxParallelFolds < 1)
            throw new ArgumentOutOfRangeException(nameof(maxParallelFolds), maxParallelFolds,
                string.Create(CultureInfo.InvariantCulture, $"Invalid value for maxParallelFolds: expected an integer >= 1. Received: maxParallelFolds={maxParallelFolds}."));
        LabelValues.FindScalarColumn(data, labelColumnName, "label", nameof(labelColumnName));

        int actualSeed = seed ?? Random.Shared.Next();
        var plans = SplitPlanner.PlanFolds(data, numberOfFolds, numberOfRepeats, labelColumnName, mode, actualSeed);
        var results = FoldWorkers.Run(numberOfFolds * numberOfRepeats, maxParallelFolds,
            job => RunFold(data, estimator, plans[job / numberOfFolds], job / numberOfFolds, job % numberOfFolds, evaluate, metricValues),
            (fold, done) => progress?.Report(new OperationProgress(operation, done, numberOfFolds * numberOfRepeats, Describe(fold))));
        return Summarize(results, numberOfFolds, numberOfRepeats, mode, actualSeed);
    }

    /// <summary>The result of folds run elsewhere (in parallel, or by workers of a job array), in repeat-then-fold order.</summary>
    internal static RepeatedCrossValidationResult<TMetrics> Summarize<TMetrics>(IReadOnlyList<CrossValidationFoldResult<TMetrics>> results,
        int numberOfFolds, int numberOfRepeats, Stratification mode, int actualSeed)
        where TMetrics : class
    {
        if (results.All(f => !f.Succeeded))
        {
            var first = results[0];
            throw new AggregateException(
                string.Create(CultureInfo.InvariantCulture,
                    $"All {results.Count} folds failed; nothing to summarize. First failure (repeat 0, fold 0): {first.Exception!.GetType().Name}: {first.Exception.Message}"),
                results.Select(f => f.Exception!));
        }
        return new RepeatedCrossValidationResult<TMetrics>(results, numberOfFolds, numberOfRepeats, mode != Stratification.None, actualSeed);
    }

    private static string Describe<TMetrics>(CrossValidationFoldResult<TMetrics> fold) where TMetrics : class =>
        fold.Succeeded
            ? string.Create(CultureInfo.InvariantCulture, $"repeat {fold.Repeat + 1}, fold {fold.Fold + 1}: {string.Join(", ", fold.MetricValues!.Take(1).Select(m => $"{m.Key} {m.Value:0.0000}"))}")
            : string.Create(CultureInfo.InvariantCulture, $"repeat {fold.Repeat + 1}, fold {fold.Fold + 1} failed: {fold.Exception!.Message}");

    internal static CrossValidationFoldResult<TMetrics> RunFold<TMetrics>(IDataView data, IEstimator<ITransformer> estimator,
        int[] plan, int repeat, int fold, Func<IDataView, TMetrics> evaluate, Func<TMetrics, IReadOnlyDictionary<string, double>> metricValues)
        where TMetrics : class
    {
        var validationRows = Enumerable.Range(0, plan.Length).Where(i => plan[i] == fold).ToArray();
        var training = RowSubsetDataView.Select(data, plan, fold, equal: false);
        var validation = RowSubsetDataView.Select(data, plan, fold, equal: true);
        int trainingCount = plan.Length - validationRows.Length;
        ITransformer? model = null;
        try
        {
            model = estimator.Fit(training);
            var metrics = evaluate(model.Transform(validation));
            return new(repeat, fold, validationRows, trainingCount, model, metrics, metricValues(metrics), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            // documented: a failing fold is reported with its exception and the other folds still run
            return new(repeat, fold, validationRows, trainingCount, model, null, null, ex);
        }
    }
}
