using System.Globalization;

namespace MlNetDeep;

/// <summary>
/// An ablation study: the estimator cross-validated on all features (the baseline) and once per feature group with
/// that group's slots removed, all on the same folds, with each group's paired metric change.
/// </summary>
/// <typeparam name="TMetrics">ML.NET's metrics type for the task.</typeparam>
public sealed class AblationResult<TMetrics> where TMetrics : class
{
    internal AblationResult(RepeatedCrossValidationResult<TMetrics> baseline, IReadOnlyList<AblationGroupResult<TMetrics>> groups,
        string featureColumnName, string primaryMetric)
    {
        Baseline = baseline;
        Groups = groups;
        FeatureColumnName = featureColumnName;
        PrimaryMetric = primaryMetric;
    }

    /// <summary>The cross-validation with every slot present.</summary>
    public RepeatedCrossValidationResult<TMetrics> Baseline { get; }

    /// <summary>One result per feature group, in the order given.</summary>
    public IReadOnlyList<AblationGroupResult<TMetrics>> Groups { get; }

    /// <summary>The vector column the groups were removed from.</summary>
    public string FeatureColumnName { get; }

    /// <summary>The metric <see cref="ToString"/> and <see cref="ToMarkdown()"/> show: AreaUnderRocCurve (binary), MicroAccuracy (multiclass) or RSquared (regression).</summary>
    public string PrimaryMetric { get; }

    /// <summary>The primary metric's table as aligned plain text.</summary>
    /// <returns>The table.</returns>
    public override string ToString() => ToText(PrimaryMetric);

    /// <summary>One metric's table as aligned plain text: baseline, then per group its mean and paired change with SD and 95% CI.</summary>
    /// <param name="metricName">ML.NET's property name.</param>
    /// <returns>The table.</returns>
    /// <exception cref="KeyNotFoundException">No metric has that name.</exception>
    public string ToText(string metricName) => Caption(metricName) + "\n" + TextTable.ToText(Header(metricName), Rows(metricName));

    /// <summary>The primary metric's table in markdown.</summary>
    /// <returns>The markdown.</returns>
    public string ToMarkdown() => ToMarkdown(PrimaryMetric);

    /// <summary>One metric's table in markdown.</summary>
    /// <param name="metricName">ML.NET's property name.</param>
    /// <returns>The markdown.</returns>
    /// <exception cref="KeyNotFoundException">No metric has that name.</exception>
    public string ToMarkdown(string metricName) => Caption(metricName) + "\n\n" + TextTable.ToMarkdown(Header(metricName), Rows(metricName));

    private string Caption(string metricName)
        => string.Create(CultureInfo.InvariantCulture,
            $"Ablation of column '{FeatureColumnName}' by {metricName} ({Baseline.NumberOfRepeats} × {Baseline.NumberOfFolds}-fold, seed {Baseline.Seed}; Δ = without group − baseline, paired by fold)");

    private static string[] Header(string metricName)
        => new[] { "Feature group", "Slots removed", metricName, "Δ mean", "Δ SD", "Δ 95% CI low", "Δ 95% CI high" };

    private IReadOnlyList<IReadOnlyList<string>> Rows(string metricName)
    {
        static string F(double v) => RepeatedCrossValidationResult<TMetrics>.Format(v);
        var rows = new List<IReadOnlyList<string>>
        {
            new[] { "(baseline)", "0", F(Baseline.GetMetric(metricName).Mean), "", "", "", "" },
        };
        foreach (var g in Groups)
        {
            var d = g.GetDelta(metricName);
            rows.Add(new[]
            {
                g.Group.Name, g.RemovedSlots.Count.ToString(CultureInfo.InvariantCulture), F(g.CrossValidation.GetMetric(metricName).Mean),
                F(d.Mean), F(d.StandardDeviation), F(d.ConfidenceIntervalLower), F(d.ConfidenceIntervalUpper),
            });
        }
        return rows;
    }
}
