using System.Globalization;
using System.Text;
using MlNetDeep.Samples.Experiments;

namespace MlNetDeep.Samples.Reporting;

/// <summary>
/// Writes the report of an 'all' run through the library's <see cref="RunReport"/>: <c>report.md</c> (a summary
/// table, then per experiment its description, verdict, a RunReport section with its numbers and figures, and the
/// diagnoses) and <c>report.csv</c> (RunReport's CSV: one row per experiment and number).
/// </summary>
public static class LabReport
{
    /// <summary>The report's file name in the output folder.</summary>
    public const string FileName = "report.md";

    /// <summary>The numbers' file name in the output folder.</summary>
    public const string CsvFileName = "report.csv";

    /// <summary>Writes <c>report.md</c> and <c>report.csv</c> into the output folder; figure links are relative to it.</summary>
    /// <param name="outputDirectory">The output folder (created if missing).</param>
    /// <param name="outcomes">The runs, in order.</param>
    /// <param name="settings">One line describing the run, e.g. data, seed and budget.</param>
    /// <returns>The report's full path.</returns>
    public static string Write(string outputDirectory, IReadOnlyList<ExperimentOutcome> outcomes, string settings)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var dir = Directory.CreateDirectory(outputDirectory).FullName;
        var path = Path.Combine(dir, FileName);
        File.WriteAllText(path, Render(dir, outcomes, settings));
        File.WriteAllText(Path.Combine(dir, CsvFileName), Numbers(outcomes).ToCsv());
        return path;
    }

    /// <summary>The report's markdown text.</summary>
    /// <param name="outputDirectory">The folder figure links are relative to.</param>
    /// <param name="outcomes">The runs, in order.</param>
    /// <param name="settings">One line describing the run.</param>
    public static string Render(string outputDirectory, IReadOnlyList<ExperimentOutcome> outcomes, string settings)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("# Overfitting lab report").AppendLine();
        sb.AppendLine(settings).AppendLine();
        sb.AppendLine(c, $"Every experiment's numbers are also in `{CsvFileName}` (run = experiment).").AppendLine();
        sb.AppendLine("| Experiment | Verdict | Seconds |").AppendLine("|---|---|---:|");
        foreach (var o in outcomes)
            sb.AppendLine(c, $"| [{o.Experiment.Name}](#{o.Experiment.Name}) | {Cell(o.Verdict)} | {o.Elapsed.TotalSeconds:F1} |");

        foreach (var o in outcomes)
        {
            sb.AppendLine().AppendLine(c, $"<a id=\"{o.Experiment.Name}\"></a>");
            sb.AppendLine(c, $"## {o.Experiment.Title} (`{o.Experiment.Name}`)").AppendLine();
            sb.AppendLine(o.Experiment.Description).AppendLine();
            sb.AppendLine(c, $"**Verdict:** {o.Verdict}");
            if (o.Result is null)
                continue;
            if (o.Result.Numbers.Count > 0 || o.Result.Figures.Count > 0)
                sb.AppendLine().Append(Section(outputDirectory, o.Experiment.Name, o.Result).ToMarkdown());
            if (o.Result.Diagnoses.Count > 0)
            {
                sb.AppendLine().AppendLine("**Diagnosis** (`TrainingHistory.Diagnose()` on each run):").AppendLine();
                foreach (var d in o.Result.Diagnoses)
                    sb.AppendLine(c, $"- `{d.Run}`: **{d.Headline}**. {string.Join(" ", d.Diagnosis.Evidence)} Next: {d.Diagnosis.Advice.FirstOrDefault() ?? "-"}.");
            }
            if (!string.IsNullOrWhiteSpace(o.Result.Details))
                sb.AppendLine(o.Result.Details.TrimEnd()).AppendLine();
        }
        return sb.ToString();
    }

    /// <summary>An experiment's numbers (one run, named after the experiment) and figure links, as a level-3 section.</summary>
    private static RunReport Section(string outputDirectory, string name, ExperimentResult result)
    {
        var report = new RunReport("Numbers and figures") { HeadingLevel = 3 };
        if (result.Numbers.Count > 0)
            report.AddRun(name, result.Numbers);
        foreach (var figure in result.Figures)
        {
            var full = Path.GetFullPath(figure, outputDirectory);
            var link = Path.GetRelativePath(outputDirectory, full).Replace('\\', '/');
            report.AddPlotLink(Path.GetFileNameWithoutExtension(full), Uri.EscapeDataString(link).Replace("%2F", "/", StringComparison.Ordinal));
        }
        return report;
    }

    private static RunReport Numbers(IReadOnlyList<ExperimentOutcome> outcomes)
    {
        var report = new RunReport("Overfitting lab numbers");
        foreach (var o in outcomes)
            if (o.Result is { Numbers.Count: > 0 })
                report.AddRun(o.Experiment.Name, o.Result.Numbers);
        return report;
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
