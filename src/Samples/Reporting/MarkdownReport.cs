using System.Globalization;
using System.Text;

namespace MlNetDeep.Samples.Reporting;

/// <summary>Writes the report of an 'all' run: a summary table, then per experiment its verdict, numbers and figures.</summary>
public static class MarkdownReport
{
    /// <summary>The report's file name in the output folder.</summary>
    public const string FileName = "report.md";

    /// <summary>Writes <c>report.md</c> into the output folder; figure links are relative to it.</summary>
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
        return path;
    }

    /// <summary>The report's markdown text.</summary>
    /// <param name="outputDirectory">The folder figure links are relative to.</param>
    /// <param name="outcomes">The runs, in order.</param>
    /// <param name="settings">One line describing the run.</param>
    public static string Render(string outputDirectory, IReadOnlyList<ExperimentOutcome> outcomes, string settings)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("# Overfitting lab report").AppendLine();
        sb.AppendLine(settings).AppendLine();
        sb.AppendLine("| Experiment | Verdict | Seconds |").AppendLine("|---|---|---:|");
        foreach (var o in outcomes)
            sb.AppendLine(c, $"| [{o.Experiment.Name}](#{o.Experiment.Name}) | {Cell(o.Verdict)} | {o.Elapsed.TotalSeconds:F1} |");

        foreach (var o in outcomes)
        {
            sb.AppendLine().AppendLine(c, $"<a id=\"{o.Experiment.Name}\"></a>");
            sb.AppendLine(c, $"## {o.Experiment.Title} (`{o.Experiment.Name}`)").AppendLine();
            sb.AppendLine(o.Experiment.Description).AppendLine();
            sb.AppendLine(c, $"**Verdict:** {o.Verdict}").AppendLine();
            if (o.Result is null)
                continue;
            if (o.Result.Numbers.Count > 0)
            {
                sb.AppendLine("| Number | Value |").AppendLine("|---|---:|");
                foreach (var (name, value) in o.Result.Numbers)
                    sb.AppendLine(c, $"| {Cell(name)} | {value.ToString("G6", c)} |");
                sb.AppendLine();
            }
            foreach (var figure in o.Result.Figures)
            {
                var full = Path.GetFullPath(figure, outputDirectory);
                var link = Path.GetRelativePath(outputDirectory, full).Replace('\\', '/');
                sb.AppendLine(c, $"![{Path.GetFileNameWithoutExtension(full)}]({Uri.EscapeDataString(link).Replace("%2F", "/", StringComparison.Ordinal)})").AppendLine();
            }
            if (o.Result.Diagnoses.Count > 0)
            {
                sb.AppendLine("**Diagnosis** (`TrainingHistory.Diagnose()` on each run):").AppendLine();
                foreach (var d in o.Result.Diagnoses)
                    sb.AppendLine(c, $"- `{d.Run}`: **{d.Headline}**. {string.Join(" ", d.Diagnosis.Evidence)} Next: {d.Diagnosis.Advice.FirstOrDefault() ?? "-"}.");
                sb.AppendLine();
            }
            if (!string.IsNullOrWhiteSpace(o.Result.Details))
                sb.AppendLine(o.Result.Details.TrimEnd()).AppendLine();
        }
        return sb.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
