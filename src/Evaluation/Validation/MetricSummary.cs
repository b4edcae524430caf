using System.Globalization;

namespace MlNetDeep;

/// <summary>
/// One metric summarized over folds (or seeds): mean, sample standard deviation and a two-sided Student-t
/// confidence interval for the mean, <c>mean ± t(1 − α/2, n − 1) · sd / √n</c>.
/// </summary>
/// <remarks>
/// The interval treats the n fold scores as independent. Cross-validation folds share training rows, so the true
/// uncertainty is larger (Nadeau and Bengio, 2003); read the interval as a comparison aid, not as an exact coverage
/// guarantee. NaN values (a metric a fold could not compute) are left out; <see cref="Count"/> says how many remained.
/// </remarks>
public sealed class MetricSummary
{
    private MetricSummary(string name, double[] values, double confidenceLevel)
    {
        Name = name;
        Values = values;
        ConfidenceLevel = confidenceLevel;
        int n = values.Length;
        Mean = n == 0 ? double.NaN : values.Average();
        StandardDeviation = n < 2 ? double.NaN : Math.Sqrt(values.Sum(v => (v - Mean) * (v - Mean)) / (n - 1));
        HalfWidth = n < 2 ? double.NaN : StudentT.Quantile(0.5 + confidenceLevel / 2, n - 1) * StandardDeviation / Math.Sqrt(n);
    }

    /// <summary>Summarizes <paramref name="values"/> (NaN values are skipped) with a <paramref name="confidenceLevel"/> interval.</summary>
    /// <param name="name">The metric's name, e.g. "Accuracy".</param>
    /// <param name="values">One value per fold or run.</param>
    /// <param name="confidenceLevel">The interval's coverage; 0.95 by default.</param>
    /// <returns>The summary.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="confidenceLevel"/> is not in (0, 1).</exception>
    public static MetricSummary FromValues(string name, IEnumerable<double> values, double confidenceLevel = 0.95)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(values);
        if (!(confidenceLevel > 0 && confidenceLevel < 1))
            throw new ArgumentOutOfRangeException(nameof(confidenceLevel),
                string.Create(CultureInfo.InvariantCulture, $"Invalid value for confidenceLevel: expected a value in (0, 1). Received: confidenceLevel={confidenceLevel}."));
        return new MetricSummary(name, values.Where(v => !double.IsNaN(v)).ToArray(), confidenceLevel);
    }

    /// <summary>The metric's name, e.g. "AreaUnderRocCurve".</summary>
    public string Name { get; }

    /// <summary>The values summarized (NaN values removed), in fold order.</summary>
    public IReadOnlyList<double> Values { get; }

    /// <summary>How many values were summarized.</summary>
    public int Count => Values.Count;

    /// <summary>The arithmetic mean; NaN when there are no values.</summary>
    public double Mean { get; }

    /// <summary>The sample standard deviation (divisor n − 1); NaN for fewer than two values.</summary>
    public double StandardDeviation { get; }

    /// <summary>The interval's coverage, e.g. 0.95.</summary>
    public double ConfidenceLevel { get; }

    /// <summary>Half the interval's width, <c>t · sd / √n</c>; NaN for fewer than two values.</summary>
    public double HalfWidth { get; }

    /// <summary>The interval's lower end, <see cref="Mean"/> − <see cref="HalfWidth"/>.</summary>
    public double ConfidenceIntervalLower => Mean - HalfWidth;

    /// <summary>The interval's upper end, <see cref="Mean"/> + <see cref="HalfWidth"/>.</summary>
    public double ConfidenceIntervalUpper => Mean + HalfWidth;

    /// <summary>"Name: mean ± sd (95% CI [lower, upper], n = …)" with four significant decimals.</summary>
    /// <returns>The one-line summary.</returns>
    public override string ToString()
        => Count < 2 ? string.Create(CultureInfo.InvariantCulture, $"{Name}: {Mean:0.0000} (n = {Count}: no spread to show)")
        : string.Create(CultureInfo.InvariantCulture,
            $"{Name}: {Mean:0.0000} ± {StandardDeviation:0.0000} ({ConfidenceLevel * 100:0.#}% CI [{ConfidenceIntervalLower:0.0000}, {ConfidenceIntervalUpper:0.0000}], n = {Count})");
}
