namespace MlNetDeep;

/// <summary>One ablated feature group: the cross-validation without its slots and, per metric, the change from the baseline.</summary>
/// <typeparam name="TMetrics">ML.NET's metrics type for the task.</typeparam>
public sealed class AblationGroupResult<TMetrics> where TMetrics : class
{
    internal AblationGroupResult(FeatureGroup group, int[] removedSlots, RepeatedCrossValidationResult<TMetrics> crossValidation,
        RepeatedCrossValidationResult<TMetrics> baseline)
    {
        Group = group;
        RemovedSlots = removedSlots;
        CrossValidation = crossValidation;
        // paired by (repeat, fold): both runs used the same folds, so the per-fold difference removes the fold's own difficulty
        var pairs = baseline.Folds.Zip(crossValidation.Folds).Where(p => p.First.Succeeded && p.Second.Succeeded).ToArray();
        Deltas = baseline.Metrics.Select(m => MetricSummary.FromValues(m.Name,
            pairs.Select(p => p.Second.MetricValues.TryGetValue(m.Name, out var after) && p.First.MetricValues.TryGetValue(m.Name, out var before)
                ? after - before : double.NaN)))
            .ToArray();
    }

    /// <summary>The group that was removed.</summary>
    public FeatureGroup Group { get; }

    /// <summary>The slot indices removed (ascending), names resolved.</summary>
    public IReadOnlyList<int> RemovedSlots { get; }

    /// <summary>The cross-validation of the estimator on the data without the group's slots.</summary>
    public RepeatedCrossValidationResult<TMetrics> CrossValidation { get; }

    /// <summary>
    /// Per metric, the change "without the group − baseline", paired fold by fold (the same folds were used), with
    /// its mean, SD and Student-t 95% interval over folds and repeats. A drop in a higher-is-better metric is negative.
    /// </summary>
    public IReadOnlyList<MetricSummary> Deltas { get; }

    /// <summary>The change of one metric.</summary>
    /// <param name="metricName">ML.NET's property name, e.g. "AreaUnderRocCurve".</param>
    /// <returns>The change's summary.</returns>
    /// <exception cref="KeyNotFoundException">No metric has that name.</exception>
    public MetricSummary GetDelta(string metricName)
        => Deltas.FirstOrDefault(d => d.Name == metricName)
            ?? throw new KeyNotFoundException($"No metric named '{metricName}'. Available metrics: {string.Join(", ", Deltas.Select(m => m.Name))}.");
}
