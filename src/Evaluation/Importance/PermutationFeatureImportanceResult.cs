using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace MlNetDeep;

/// <summary>
/// Permutation feature importance of a whole model: per feature (keyed by its slot name), the change of every
/// metric when that feature's slot is shuffled across rows, with the unpermuted baseline.
/// </summary>
/// <typeparam name="TMetrics">ML.NET's metrics type for the task.</typeparam>
/// <remarks>Enumerating the result visits the features in slot order; <see cref="Ranked(string)"/> orders them by importance.</remarks>
public sealed class PermutationFeatureImportanceResult<TMetrics> : IReadOnlyDictionary<string, FeatureImportance> where TMetrics : class
{
    private readonly Dictionary<string, FeatureImportance> _byName;

    internal PermutationFeatureImportanceResult(TMetrics baseline, IReadOnlyDictionary<string, double> baselineValues, IReadOnlyList<FeatureImportance> features,
        string featureColumnName, string primaryMetric, int permutationCount, int numberOfExamples, int seed)
    {
        Baseline = baseline;
        BaselineValues = baselineValues;
        Features = features;
        FeatureColumnName = featureColumnName;
        PrimaryMetric = primaryMetric;
        PermutationCount = permutationCount;
        NumberOfExamples = numberOfExamples;
        Seed = seed;
        _byName = features.ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    /// <summary>ML.NET's metrics of the model on the rows used, without any permutation.</summary>
    public TMetrics Baseline { get; }

    /// <summary>The baseline's metrics by ML.NET's property names, the names <see cref="FeatureImportance.Deltas"/> use.</summary>
    public IReadOnlyDictionary<string, double> BaselineValues { get; }

    /// <summary>Every slot of the feature column, in slot order.</summary>
    public IReadOnlyList<FeatureImportance> Features { get; }

    /// <summary>The vector column whose slots were permuted.</summary>
    public string FeatureColumnName { get; }

    /// <summary>The metric <see cref="ToString"/>, <see cref="ToMarkdown()"/> and <see cref="Ranked()"/> use: AreaUnderRocCurve (binary), MicroAccuracy (multiclass) or RSquared (regression).</summary>
    public string PrimaryMetric { get; }

    /// <summary>How many times each slot was permuted.</summary>
    public int PermutationCount { get; }

    /// <summary>How many rows were evaluated.</summary>
    public int NumberOfExamples { get; }

    /// <summary>The seed the permutations were drawn with (the one given, or the one drawn when none was).</summary>
    public int Seed { get; }

    /// <summary>The number of features.</summary>
    public int Count => Features.Count;

    /// <summary>The feature names, in slot order.</summary>
    public IEnumerable<string> Keys => Features.Select(f => f.Name);

    /// <summary>The features, in slot order.</summary>
    public IEnumerable<FeatureImportance> Values => Features;

    /// <summary>The feature with this name.</summary>
    /// <param name="key">A slot name, or "Features[i]" for a slot without a unique name.</param>
    /// <returns>The feature.</returns>
    /// <exception cref="KeyNotFoundException">No feature has that name.</exception>
    public FeatureImportance this[string key]
        => _byName.TryGetValue(key, out var feature) ? feature
            : throw new KeyNotFoundException($"No feature named '{key}' in column '{FeatureColumnName}' ({Count} slots; names such as {string.Join(", ", Keys.Take(5).Select(k => $"'{k}'"))}).");

    /// <summary>Whether a feature has this name.</summary>
    /// <param name="key">The name.</param>
    /// <returns>True when it exists.</returns>
    public bool ContainsKey(string key) => _byName.ContainsKey(key);

    /// <summary>Finds a feature by name.</summary>
    /// <param name="key">The name.</param>
    /// <param name="value">The feature, when found.</param>
    /// <returns>True when found.</returns>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out FeatureImportance value) => _byName.TryGetValue(key, out value);

    /// <summary>The features in slot order, keyed by name.</summary>
    /// <returns>The enumerator.</returns>
    public IEnumerator<KeyValuePair<string, FeatureImportance>> GetEnumerator()
        => Features.Select(f => new KeyValuePair<string, FeatureImportance>(f.Name, f)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The features by importance for <see cref="PrimaryMetric"/>, most important first.</summary>
    /// <returns>The features, most important first.</returns>
    public IReadOnlyList<FeatureImportance> Ranked() => Ranked(PrimaryMetric);

    /// <summary>
    /// The features by importance for one metric, most important first: the largest mean drop of a higher-is-better
    /// metric, or the largest mean rise of an error or loss (LogLoss, Entropy, MeanAbsoluteError, MeanSquaredError,
    /// RootMeanSquaredError, LossFunction). Ties and NaN changes keep slot order, NaN last.
    /// </summary>
    /// <param name="metricName">ML.NET's property name.</param>
    /// <returns>The features, most important first.</returns>
    /// <exception cref="KeyNotFoundException">No metric has that name.</exception>
    public IReadOnlyList<FeatureImportance> Ranked(string metricName)
    {
        CheckMetric(metricName);
        double sign = MetricDirection.LowerIsBetter(metricName) ? 1 : -1;
        return Features
            .OrderBy(f => double.IsNaN(f.GetDelta(metricName).Mean) ? 1 : 0)
            .ThenByDescending(f => double.IsNaN(f.GetDelta(metricName).Mean) ? 0 : sign * f.GetDelta(metricName).Mean)
            .ThenBy(f => f.SlotIndex)
            .ToArray();
    }

    /// <summary>The primary metric's 20 most important features as aligned plain text.</summary>
    /// <returns>The table.</returns>
    public override string ToString() => ToText(PrimaryMetric, 20);

    /// <summary>One metric's table as aligned plain text, most important first: rank, feature, slot, change mean, SD and 95% CI.</summary>
    /// <param name="metricName">ML.NET's property name.</param>
    /// <param name="top">How many features to list; null for all.</param>
    /// <returns>The table.</returns>
    /// <exception cref="KeyNotFoundException">No metric has that name.</exception>
    public string ToText(string metricName, int? top = null)
        => Caption(metricName) + "\n" + TextTable.ToText(Header(metricName), Rows(metricName, top)) + More(top);

    /// <summary>The primary metric's table in markdown, every feature.</summary>
    /// <returns>The markdown.</returns>
    public string ToMarkdown() => ToMarkdown(PrimaryMetric);

    /// <summary>One metric's table in markdown, most important first.</summary>
    /// <param name="metricName">ML.NET's property name.</param>
    /// <param name="top">How many features to list; null for all.</param>
    /// <returns>The markdown.</returns>
    /// <exception cref="KeyNotFoundException">No metric has that name.</exception>
    public string ToMarkdown(string metricName, int? top = null)
        => Caption(metricName) + "\n\n" + TextTable.ToMarkdown(Header(metricName), Rows(metricName, top)) + More(top);

    private void CheckMetric(string metricName)
    {
        ArgumentNullException.ThrowIfNull(metricName);
        if (!BaselineValues.ContainsKey(metricName))
            throw new KeyNotFoundException($"No metric named '{metricName}'. Available metrics: {string.Join(", ", BaselineValues.Keys)}.");
    }

    private string Caption(string metricName)
    {
        CheckMetric(metricName);
        return string.Create(CultureInfo.InvariantCulture,
            $"Permutation feature importance of column '{FeatureColumnName}' by {metricName} (baseline {Format(BaselineValues[metricName])}; {PermutationCount} permutation(s) of {NumberOfExamples} rows, seed {Seed}; Δ = permuted − baseline, most important first)");
    }

    private static string[] Header(string metricName)
        => new[] { "Rank", "Feature", "Slot", $"Δ {metricName} mean", "Δ SD", "Δ 95% CI low", "Δ 95% CI high" };

    private IReadOnlyList<IReadOnlyList<string>> Rows(string metricName, int? top)
        => Ranked(metricName).Take(top ?? int.MaxValue).Select((f, i) =>
        {
            var d = f.GetDelta(metricName);
            return (IReadOnlyList<string>)new[]
            {
                (i + 1).ToString(CultureInfo.InvariantCulture), f.Name, f.SlotIndex.ToString(CultureInfo.InvariantCulture),
                Format(d.Mean), Format(d.StandardDeviation), Format(d.ConfidenceIntervalLower), Format(d.ConfidenceIntervalUpper),
            };
        }).ToArray();

    private string More(int? top)
        => top is int t && t < Count ? string.Create(CultureInfo.InvariantCulture, $"\n… {Count - t} more features") : "";

    private static string Format(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
}
