using System.Globalization;
using System.Text;

namespace MlNetDeep;

/// <summary>
/// The outcome of a (repeated, optionally stratified) K-fold cross-validation: every fold's result and, per
/// metric, the mean, sample standard deviation and Student-t confidence interval over the folds that succeeded.
/// </summary>
/// <typeparam name="TMetrics">ML.NET's metrics type for the task.</typeparam>
public sealed class RepeatedCrossValidationResult<TMetrics> where TMetrics : class
{
    internal RepeatedCrossValidationResult(IReadOnlyList<CrossValidationFoldResult<TMetrics>> folds,
        int numberOfFolds, int numberOfRepeats, bool stratified, int seed, double confidenceLevel = 0.95)
    {
        Folds = folds;
        NumberOfFolds = numberOfFolds;
        NumberOfRepeats = numberOfRepeats;
        Stratified = stratified;
        Seed = seed;
        var succeeded = folds.Where(f => f.Succeeded).ToArray();
        Metrics = succeeded.SelectMany(f => f.MetricValues.Keys).Distinct()
            .Select(name => MetricSummary.FromValues(name, succeeded.Select(f => f.MetricValues.TryGetValue(name, out var v) ? v : double.NaN), confidenceLevel))
            .ToArray();
    }

    /// <summary>Every fold of every repeat, repeat by repeat, in fold order (failed folds included).</summary>
    public IReadOnlyList<CrossValidationFoldResult<TMetrics>> Folds { get; }

    /// <summary>The folds whose estimator or evaluation threw; their exceptions say why.</summary>
    public IReadOnlyList<CrossValidationFoldResult<TMetrics>> FailedFolds => Folds.Where(f => !f.Succeeded).ToArray();

    /// <summary>Per metric, its summary over the folds that succeeded, in ML.NET's property order.</summary>
    public IReadOnlyList<MetricSummary> Metrics { get; }

    /// <summary>K, the number of folds per repeat.</summary>
    public int NumberOfFolds { get; }

    /// <summary>P, the number of times the rows were reshuffled and split K ways.</summary>
    public int NumberOfRepeats { get; }

    /// <summary>True when the folds were stratified by the label.</summary>
    public bool Stratified { get; }

    /// <summary>The seed the folds were drawn with (the one passed in, or the one drawn when none was); passing it again reproduces the folds.</summary>
    public int Seed { get; }

    /// <summary>The summary of one metric.</summary>
    /// <param name="metricName">ML.NET's property name, e.g. "Accuracy".</param>
    /// <returns>The metric's summary.</returns>
    /// <exception cref="KeyNotFoundException">No metric has that name; the message lists the names there are.</exception>
    public MetricSummary GetMetric(string metricName)
        => Metrics.FirstOrDefault(m => m.Name == metricName)
            ?? throw new KeyNotFoundException($"No metric named '{metricName}'. Available metrics: {string.Join(", ", Metrics.Select(m => m.Name))}.");

    /// <summary>The summary as an aligned plain-text table (metric, mean, sd, CI bounds, n), plus a line per failed fold.</summary>
    /// <returns>The table.</returns>
    public override string ToString()
        => Caption() + "\n" + TextTable.ToText(Header(), Rows()) + Failures("");

    /// <summary>The summary as a markdown table, plus a bullet per failed fold.</summary>
    /// <returns>The markdown.</returns>
    public string ToMarkdown()
        => Caption() + "\n\n" + TextTable.ToMarkdown(Header(), Rows()) + Failures("- ");

    private string Caption()
        => string.Create(CultureInfo.InvariantCulture,
            $"{NumberOfRepeats} × {NumberOfFolds}-fold cross-validation ({(Stratified ? "stratified" : "not stratified")}, seed {Seed}): {Folds.Count - FailedFolds.Count} of {Folds.Count} folds succeeded");

    private string[] Header()
    {
        string level = (Metrics.FirstOrDefault()?.ConfidenceLevel ?? 0.95).ToString("P0", CultureInfo.InvariantCulture).Replace(" ", "", StringComparison.Ordinal);
        return new[] { "Metric", "Mean", "SD", $"{level} CI low", $"{level} CI high", "n" };
    }

    private IReadOnlyList<IReadOnlyList<string>> Rows()
        => Metrics.Select(m => (IReadOnlyList<string>)new[]
        {
            m.Name, Format(m.Mean), Format(m.StandardDeviation), Format(m.ConfidenceIntervalLower), Format(m.ConfidenceIntervalUpper),
            m.Count.ToString(CultureInfo.InvariantCulture),
        }).ToArray();

    private string Failures(string bullet)
    {
        var sb = new StringBuilder();
        foreach (var f in FailedFolds)
            sb.Append(bullet).Append(f).Append('\n');
        return sb.Length == 0 ? "" : "\nFailed folds:\n" + sb;
    }

    internal static string Format(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
}
