using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep;

/// <summary>The task-independent loop of an ablation study behind the catalog methods.</summary>
internal static class AblationRunner
{
    public static AblationResult<TMetrics> Run<TMetrics>(IDataView data, IEstimator<ITransformer> estimator,
        IEnumerable<FeatureGroup> featureGroups, string featureColumnName, int? seed, string primaryMetric,
        Func<IDataView, int, string, RepeatedCrossValidationResult<TMetrics>> crossValidate)
        where TMetrics : class
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(featureGroups);
        ArgumentNullException.ThrowIfNull(featureColumnName);
        var groups = featureGroups.ToArray();
        if (groups.Length == 0)
            throw new ArgumentException("Invalid value for featureGroups: expected at least one feature group. Received: an empty list.", nameof(featureGroups));
        if (groups.Any(g => g is null))
            throw new ArgumentException("Invalid value for featureGroups: expected no null groups. Received: a list with a null group.", nameof(featureGroups));
        var duplicate = groups.GroupBy(g => g.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Invalid value for featureGroups: expected unique group names. Received: '{duplicate.Key}' {duplicate.Count()} times.", nameof(featureGroups));

        var column = LabelValues.FindColumn(data, featureColumnName, "feature", nameof(featureColumnName));
        if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType, IsKnownSize: true } vector || vector.ItemType != NumberDataViewType.Single)
            throw Common.SchemaErrors.WrongType("feature", featureColumnName, "a known-size vector of Single", column.Type, nameof(featureColumnName));
        int size = vector.Size;
        // resolve every group before any training, so a bad group fails fast
        var removed = groups.Select(g => g.Resolve(column, size)).ToArray();

        int actualSeed = seed ?? Random.Shared.Next();
        var baseline = crossValidate(data, actualSeed, "baseline");
        var ml = new MLContext(seed: 0);
        var results = new List<AblationGroupResult<TMetrics>>(groups.Length);
        for (int i = 0; i < groups.Length; i++)
        {
            var removedSet = removed[i].ToHashSet();
            var keep = Enumerable.Range(0, size).Where(s => !removedSet.Contains(s));
            var ablated = SlotSelection.Keep(ml, featureColumnName, featureColumnName, size, keep).Transform(data);
            results.Add(new AblationGroupResult<TMetrics>(groups[i], removed[i], crossValidate(ablated, actualSeed, "without " + groups[i].Name), baseline));
        }
        return new AblationResult<TMetrics>(baseline, results, featureColumnName, primaryMetric);
    }

    /// <summary>Passes a run's fold reports on, named "AblationStudy: &lt;run&gt;".</summary>
    public static IProgress<OperationProgress>? Relabel(IProgress<OperationProgress>? progress, string run) =>
        progress is null ? null : new Relabelled(progress, "AblationStudy: " + run);

    private sealed class Relabelled(IProgress<OperationProgress> inner, string operation) : IProgress<OperationProgress>
    {
        public void Report(OperationProgress value) => inner.Report(value with { Operation = operation });
    }
}
