using System.Text.Json;

namespace MlNetDeep.Cli.FanOut;

/// <summary>One fold's metric values (or its error), as written to folds.json.</summary>
internal sealed record FoldSummary(int Repeat, int Fold, IReadOnlyDictionary<string, double> MetricValues, string? Error);

/// <summary>A cross-validation result of whichever task, with its text and Markdown summaries and every fold's values.</summary>
internal sealed record CrossValidationOutcome(object Result, string Text, string Markdown, IReadOnlyList<FoldSummary> Folds)
{
    public const string FoldsFileName = "folds.json";
    public const string MarkdownFileName = "crossvalidation.md";

    public static CrossValidationOutcome From<TMetrics>(RepeatedCrossValidationResult<TMetrics> result) where TMetrics : class =>
        new(result, result.ToString(), result.ToMarkdown(),
            result.Folds.Select(f => new FoldSummary(f.Repeat, f.Fold, f.MetricValues, f.Exception?.Message)).ToArray());

    /// <summary>Writes folds.json and crossvalidation.md into <paramref name="directory"/>.</summary>
    public void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, FoldsFileName), JsonSerializer.Serialize(Folds, FanOutPlan.Json));
        File.WriteAllText(Path.Combine(directory, MarkdownFileName), Markdown);
    }
}
