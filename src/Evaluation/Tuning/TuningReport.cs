using System.Globalization;
using System.Text;

namespace MlNetDeep;

/// <summary>Writes a tuning result as the story a lecturer would tell: the setting, the ladder of trials, what each stage decided, the chosen model's diagnosis.</summary>
internal static class TuningReport
{
    public static string ToMarkdown(DenseNetworkTuningResult result, TuningTask task)
    {
        var sb = new StringBuilder();
        var best = result.BestTrial;
        sb.Append(F($"## TuneDenseNetwork: {task.Name}, {result.RowCount} rows\n\n"));
        sb.Append(F($"{result.Trials.Count} trials in {result.Elapsed.TotalSeconds:0.#} s (seed {result.Seed}), each scored by stratified {result.NumberOfFolds}-fold cross-validation"));
        sb.Append(result.NumberOfRepeats > 1 ? F($", the finalists on {result.NumberOfRepeats} shuffles of the folds. ") : ". ");
        sb.Append(F($"Metric: {result.MetricName}, the {task.LossDescription} of each fold's network on the fold's held-out rows (lower is better); "));
        sb.Append("the verdict is read from the mean of the folds' learning curves (in parentheses, how many folds alone read the same), with the epoch where overfitting sets in.");
        if (!result.Completed)
            sb.Append(" **The search stopped early** (see the notes).");
        sb.Append("\n\n");

        var header = new[] { "#", "Stage", "Change", "Epochs", result.MetricName + " (mean ± SD)", task.HeadlineMetric, "Verdict (folds agreeing)", "Onset", "Seconds" };
        var rows = new List<IReadOnlyList<string>>
        {
            new[] { "–", "Baseline", "constant prediction (" + (task.IsClassification ? "class priors" : "mean") + ")", "–", MeanSd(result.BaselineMetric), "–", "–", "–", "–" },
        };
        foreach (var t in result.Trials)
        {
            var headline = t.Metrics.FirstOrDefault(m => m.Name == task.HeadlineMetric);
            rows.Add(new[]
            {
                (t == best ? "**" + t.Index.ToString(CultureInfo.InvariantCulture) + "**" : t.Index.ToString(CultureInfo.InvariantCulture)),
                t.Stage.ToString(),
                t.Change + (t.Pruned ? " (pruned)" : ""),
                t.Epochs.ToString(CultureInfo.InvariantCulture),
                MeanSd(t.Metric),
                headline is null ? "–" : F($"{headline.Mean:0.000}"),
                F($"{t.Diagnosis.Verdict} ({t.FoldDiagnoses.Count(d => d.Verdict == t.Diagnosis.Verdict)}/{t.FoldDiagnoses.Count})"),
                t.Diagnosis.OverfittingEpoch?.ToString(CultureInfo.InvariantCulture) ?? "–",
                F($"{t.Duration.TotalSeconds:0.0}"),
            });
        }
        sb.Append(TextTable.ToMarkdown(header, rows)).Append('\n');

        if (result.Notes.Count > 0)
        {
            foreach (var note in result.Notes)
                sb.Append("- ").Append(note).Append('\n');
            sb.Append('\n');
        }
        if (result.LearningRateFinder is { } finder)
            sb.Append("Learning-rate range test: ").Append(finder).Append(".\n\n");

        var o = result.BestOptions;
        var bestMean = result.BestMeanTrial;
        sb.Append(bestMean == best
            ? F($"Best mean: trial {bestMean.Index}, also the chosen one. ")
            : F($"Best mean: trial {bestMean.Index} ({bestMean.Stage}: {bestMean.Change}), {result.MetricName} {bestMean.Metric.Mean:G4} ± {bestMean.Metric.StandardDeviation:G3}; a simpler trial is within one standard error of it. "));
        sb.Append(result.ChoiceReason).Append(".\n\n");
        sb.Append(F($"**Best: trial {best.Index}** ({best.Stage}: {best.Change}), {result.MetricName} {best.Metric.Mean:G4} ± {best.Metric.StandardDeviation:G3} over {best.Metric.Count} folds. "));
        sb.Append(F($"BestModel was refitted on all {result.RowCount} rows with HiddenLayerSizes {TuningSearch.Layers(o.HiddenLayerSizes!)}, LearningRate {o.LearningRate:G3}, DropoutRate {o.DropoutRate:G3}, L2Regularization {o.L2Regularization:G3}, Epochs {o.Epochs}, BatchSize {o.BatchSize}, Seed {o.Seed}.\n\n"));
        sb.Append("Diagnosis of the best trial: ").Append(best.Diagnosis.ToString().Replace("\n", "\n  ", StringComparison.Ordinal)).Append('\n');
        return sb.ToString();
    }

    private static string MeanSd(MetricSummary m)
        => double.IsNaN(m.StandardDeviation) ? F($"{m.Mean:0.0000}") : F($"{m.Mean:0.0000} ± {m.StandardDeviation:0.0000}");

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
