using System.Globalization;

namespace MlNetDeep;

/// <summary>One verdict for a trial from its folds' diagnoses: the verdict most folds share.</summary>
internal static class TrialDiagnosis
{
    /// <summary>
    /// The verdict most folds read (a tie goes to the one earlier in the lecture's order, Diverged first: the more
    /// basic problem is fixed first, and a model counts as overfitting only when more folds say so than anything
    /// else); the onset is the median of those folds' onsets; the evidence starts with the count of each verdict,
    /// then the first such fold's evidence; the advice is that fold's.
    /// </summary>
    public static FitDiagnosis Majority(IReadOnlyList<FitDiagnosis> folds)
    {
        var counts = folds.GroupBy(d => d.Verdict).Select(g => (Verdict: g.Key, Count: g.Count())).ToArray();
        var verdict = counts.OrderByDescending(c => c.Count).ThenBy(c => c.Verdict).First().Verdict;
        var same = folds.Where(d => d.Verdict == verdict).ToArray();
        var onsets = same.Where(d => d.OverfittingEpoch is not null).Select(d => d.OverfittingEpoch!.Value).OrderBy(e => e).ToArray();
        int? onset = onsets.Length == 0 ? null : onsets[(onsets.Length - 1) / 2];
        string tally = string.Join(", ", counts.OrderByDescending(c => c.Count).ThenBy(c => c.Verdict)
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Count} {c.Verdict}")));
        string summary = string.Create(CultureInfo.InvariantCulture, $"{same.Length} of {folds.Count} folds read {verdict} ({tally})")
            + (onsets.Length == 0 ? "." : string.Create(CultureInfo.InvariantCulture, $"; onset epochs {string.Join(", ", onsets)}, median {onset}."));
        var first = same[0];
        return new FitDiagnosis(verdict, onset, first.Evidence.Prepend(summary).ToArray(), first.Advice);
    }
}
