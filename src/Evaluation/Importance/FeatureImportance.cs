namespace MlNetDeep;

/// <summary>One feature's permutation importance: how each metric changed when its slot was shuffled across rows.</summary>
public sealed class FeatureImportance
{
    internal FeatureImportance(string name, int slotIndex, IReadOnlyList<MetricSummary> deltas)
    {
        Name = name;
        SlotIndex = slotIndex;
        Deltas = deltas;
    }

    /// <summary>The feature's name: its slot name, or "Features[i]" (the feature column's name and the slot index) when the slot has no name or shares it with another slot.</summary>
    public string Name { get; }

    /// <summary>The feature's slot in the feature column.</summary>
    public int SlotIndex { get; }

    /// <summary>
    /// Per metric (ML.NET's property names), the change "permuted − baseline" over the permutations: mean, sample SD
    /// (NaN for one permutation) and Student-t 95% interval. A drop in a higher-is-better metric such as
    /// AreaUnderRocCurve is negative; a rise in an error such as RootMeanSquaredError is positive.
    /// </summary>
    public IReadOnlyList<MetricSummary> Deltas { get; }

    /// <summary>The change of one metric.</summary>
    /// <param name="metricName">ML.NET's property name, e.g. "AreaUnderRocCurve".</param>
    /// <returns>The change's summary over the permutations.</returns>
    /// <exception cref="KeyNotFoundException">No metric has that name.</exception>
    public MetricSummary GetDelta(string metricName)
        => Deltas.FirstOrDefault(d => d.Name == metricName)
            ?? throw new KeyNotFoundException($"No metric named '{metricName}'. Available metrics: {string.Join(", ", Deltas.Select(m => m.Name))}.");

    /// <summary>"Name (slot i)".</summary>
    /// <returns>The feature's name and slot.</returns>
    public override string ToString() => $"{Name} (slot {SlotIndex})";
}
