using System.Globalization;
using System.Text;

namespace MlNetDeep;

/// <summary>
/// A small report over a set of runs: a metrics table (runs × metrics, mean ± SD where there is a spread) and
/// plot links, written as markdown, plus the same numbers as CSV (one row per run and metric).
/// </summary>
/// <example>
/// <code>
/// new RunReport("Noise channels")
///     .AddRun("noise", cvNoise).AddRun("zeros", cvZeros)
///     .AddPlot("Validation accuracy", plot, "val-accuracy")
///     .Save("out/noise");   // out/noise/report.md, report.csv, val-accuracy.png, val-accuracy.svg
/// </code>
/// </example>
public sealed class RunReport
{
    private readonly List<(string Run, List<(string Metric, ReportValue Value)> Values)> _runs = new();
    private readonly List<(string Caption, string FileName, LearningCurvePlot? Plot)> _plots = new();

    /// <summary>Creates an empty report.</summary>
    /// <param name="title">The markdown heading.</param>
    /// <exception cref="ArgumentNullException"><paramref name="title"/> is null.</exception>
    public RunReport(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        Title = title;
    }

    /// <summary>The markdown heading.</summary>
    public string Title { get; }

    /// <summary>
    /// The heading's level: 1 ("# Title", the default) for a document of its own, 2 or more when the report is a
    /// section of a larger document (the lab's report has one per experiment).
    /// </summary>
    /// <value>1 to 6; the default value is 1.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not 1 to 6.</exception>
    public int HeadingLevel
    {
        get => _headingLevel;
        init => _headingLevel = value is >= 1 and <= 6
            ? value
            : throw new ArgumentOutOfRangeException(nameof(HeadingLevel), value, $"Invalid value for HeadingLevel: expected 1 to 6 (markdown's heading levels). Received: HeadingLevel={value}.");
    }

    private readonly int _headingLevel = 1;

    /// <summary>The run names, in the order added.</summary>
    public IReadOnlyList<string> Runs => _runs.Select(r => r.Run).ToArray();

    /// <summary>Adds a run with single-valued metrics.</summary>
    /// <param name="name">The run's name (a row of the table); unique within the report.</param>
    /// <param name="metrics">Metric name → value.</param>
    /// <returns>This report, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A run of that name exists.</exception>
    public RunReport AddRun(string name, IReadOnlyDictionary<string, double> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return Add(name, metrics.Select(kv => (kv.Key, new ReportValue(kv.Value, null, null, null, null))));
    }

    /// <summary>Adds a cross-validated run: per metric its mean, SD, confidence interval and fold count.</summary>
    /// <typeparam name="TMetrics">ML.NET's metrics type for the task.</typeparam>
    /// <param name="name">The run's name; unique within the report.</param>
    /// <param name="result">The cross-validation result.</param>
    /// <returns>This report, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A run of that name exists.</exception>
    public RunReport AddRun<TMetrics>(string name, RepeatedCrossValidationResult<TMetrics> result) where TMetrics : class
    {
        ArgumentNullException.ThrowIfNull(result);
        return Add(name, result.Metrics.Select(m => (m.Name,
            new ReportValue(m.Mean, m.StandardDeviation, m.ConfidenceIntervalLower, m.ConfidenceIntervalUpper, m.Count))));
    }

    /// <summary>
    /// Adds a training run from its history: Epochs, BestEpoch, and Loss, ValidationLoss, Accuracy and
    /// ValidationAccuracy at the best epoch (the weights early stopping keeps), or at the last epoch when no best
    /// epoch is recorded. Values a run does not have (accuracy in regression) are left out.
    /// </summary>
    /// <param name="name">The run's name; unique within the report.</param>
    /// <param name="history">The run's history.</param>
    /// <returns>This report, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A run of that name exists, or the history has no epochs.</exception>
    public RunReport AddRun(string name, TrainingHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count == 0)
            throw new ArgumentException($"The history of run '{name}' has no epochs.", nameof(history));
        var epoch = history.BestEpoch is int best && history.FirstOrDefault(e => e.Epoch == best) is { } atBest ? atBest : history[^1];
        var values = new List<(string, double?)>
        {
            ("Epochs", history.Count), ("BestEpoch", history.BestEpoch), ("Loss", epoch.Loss), ("ValidationLoss", epoch.ValidationLoss),
            ("Accuracy", epoch.Accuracy), ("ValidationAccuracy", epoch.ValidationAccuracy),
        };
        return Add(name, values.Where(v => v.Item2.HasValue).Select(v => (v.Item1, new ReportValue(v.Item2!.Value, null, null, null, null, IsWholeNumber: v.Item1 is "Epochs" or "BestEpoch"))));
    }

    /// <summary>Adds a chart that <see cref="Save"/> writes as <c>fileName.png</c> and <c>fileName.svg</c> next to the report, linked from the markdown.</summary>
    /// <param name="caption">The link text.</param>
    /// <param name="plot">The chart.</param>
    /// <param name="fileName">The file name without extension, e.g. "val-loss".</param>
    /// <returns>This report, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="fileName"/> is empty or holds a path separator.</exception>
    public RunReport AddPlot(string caption, LearningCurvePlot plot, string fileName)
    {
        ArgumentNullException.ThrowIfNull(caption);
        ArgumentNullException.ThrowIfNull(plot);
        ArgumentNullException.ThrowIfNull(fileName);
        if (fileName.Length == 0 || fileName.IndexOfAny(new[] { '/', '\\' }) >= 0 || fileName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw new ArgumentException($"Invalid value for fileName: expected a file name without folder or extension. Received: fileName='{fileName}'.", nameof(fileName));
        _plots.Add((caption, fileName, plot));
        return this;
    }

    /// <summary>Adds a link to an image written elsewhere.</summary>
    /// <param name="caption">The link text.</param>
    /// <param name="path">The image's path or URL, as the markdown should show it (relative to the report).</param>
    /// <returns>This report, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public RunReport AddPlotLink(string caption, string path)
    {
        ArgumentNullException.ThrowIfNull(caption);
        ArgumentNullException.ThrowIfNull(path);
        _plots.Add((caption, path, null));
        return this;
    }

    /// <summary>The report as markdown: heading, metrics table (mean ± SD where there is one) and image links.</summary>
    /// <returns>The markdown.</returns>
    public string ToMarkdown()
    {
        var metrics = _runs.SelectMany(r => r.Values.Select(v => v.Metric)).Distinct().ToArray();
        var sb = new StringBuilder().Append('#', HeadingLevel).Append(' ').Append(Title).Append("\n\n");
        if (_runs.Count > 0)
        {
            var rows = _runs.Select(r => (IReadOnlyList<string>)new[] { r.Run }
                .Concat(metrics.Select(m => r.Values.FirstOrDefault(v => v.Metric == m) is { Value: { } value } ? value.ToCell() : ""))
                .ToArray()).ToArray();
            sb.Append(TextTable.ToMarkdown(new[] { "Run" }.Concat(metrics).ToArray(), rows));
            if (_runs.Any(r => r.Values.Any(v => v.Value.StandardDeviation is not null)))
                sb.Append("\nCross-validated values are mean ± sample SD over folds; the CSV adds the Student-t 95% confidence interval.\n");
        }
        foreach (var (caption, file, plot) in _plots)
        {
            sb.Append('\n');
            if (plot is null)
                sb.Append("![").Append(caption).Append("](").Append(file).Append(")\n");
            else
                sb.Append("![").Append(caption).Append("](").Append(file).Append(".png) ([SVG](").Append(file).Append(".svg))\n");
        }
        return sb.ToString();
    }

    /// <summary>The numbers as CSV (invariant culture): run, metric, mean, sd, ci_low, ci_high, n; empty where not applicable.</summary>
    /// <returns>The CSV text.</returns>
    public string ToCsv()
    {
        static string N(double? v) => v is double d ? d.ToString("R", CultureInfo.InvariantCulture) : "";
        var sb = new StringBuilder("run,metric,mean,sd,ci_low,ci_high,n\n");
        foreach (var (run, values) in _runs)
            foreach (var (metric, v) in values)
                sb.Append(Csv(run)).Append(',').Append(Csv(metric)).Append(',').Append(N(v.Mean)).Append(',').Append(N(v.StandardDeviation))
                  .Append(',').Append(N(v.Lower)).Append(',').Append(N(v.Upper)).Append(',')
                  .Append(v.Count?.ToString(CultureInfo.InvariantCulture) ?? "").Append('\n');
        return sb.ToString();
    }

    /// <summary>Writes <c>baseName.md</c>, <c>baseName.csv</c> and every added chart (PNG and SVG) into <paramref name="directory"/>, creating it if needed.</summary>
    /// <param name="directory">The output folder.</param>
    /// <param name="baseName">The report's file name without extension; "report" by default.</param>
    /// <returns>The path of the markdown file.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public string Save(string directory, string baseName = "report")
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(baseName);
        Directory.CreateDirectory(directory);
        foreach (var (_, file, plot) in _plots)
        {
            if (plot is null) continue;
            plot.SavePng(Path.Combine(directory, file + ".png"));
            plot.SaveSvg(Path.Combine(directory, file + ".svg"));
        }
        string markdown = Path.Combine(directory, baseName + ".md");
        File.WriteAllText(markdown, ToMarkdown());
        File.WriteAllText(Path.Combine(directory, baseName + ".csv"), ToCsv());
        return markdown;
    }

    private RunReport Add(string name, IEnumerable<(string, ReportValue)> values)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_runs.Any(r => r.Run == name))
            throw new ArgumentException($"Invalid value for name: expected a run name not yet in the report. Received: name='{name}'.", nameof(name));
        _runs.Add((name, values.ToList()));
        return this;
    }

    private static string Csv(string s)
        => s.IndexOfAny(new[] { ',', '"', '\n', '\r' }) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
