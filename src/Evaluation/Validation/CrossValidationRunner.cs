using System.Globalization;
using Microsoft.ML;

namespace MlNetDeep;

/// <summary>The task-independent loop of repeated K-fold cross-validation behind the catalog methods.</summary>
internal static class CrossValidationRunner
{
    public static RepeatedCrossValidationResult<TMetrics> Run<TMetrics>(IDataView data, IEstimator<ITransformer> estimator,
        int numberOfFolds, int numberOfRepeats, string labelColumnName, Stratification mode, int? seed,
        Func<IDataView, TMetrics> evaluate, Func<TMetrics, IReadOnlyDictionary<string, double>> metricValues,
        IProgress<OperationProgress>? progress = null, string operation = "RepeatedCrossValidate")
        where TMetrics : class
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(labelColumnName);
        SplitPlanner.CheckFoldCounts(numberOfFolds, numberOfRepeats);
        LabelValues.FindScalarColumn(data, labelColumnName, "label", nameof(labelColumnName));

        int actualSeed = seed ?? Random.Shared.Next();
        var plans = SplitPlanner.PlanFolds(data, numberOfFolds, numberOfRepeats, labelColumnName, mode, actualSeed);
        var results = new List<CrossValidationFoldResult<TMetrics>>(numberOfFolds * numberOfRepeats);
        for (int r = 0; r < numberOfRepeats; r++)
        {
            var plan = plans[r];
            for (int k = 0; k < numberOfFolds; k++)
            {
                var fold = RunFold(data, estimator, plan, r, k, evaluate, metricValues);
                results.Add(fold);
                progress?.Report(new OperationProgress(operation, results.Count, numberOfFolds * numberOfRepeats, Describe(fold)));
            }
        }

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

    private static CrossValidationFoldResult<TMetrics> RunFold<TMetrics>(IDataView data, IEstimator<ITransformer> estimator,
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
