using System.Globalization;

namespace MlNetDeep;

/// <summary>
/// The one-standard-error rule (Breiman, Friedman, Olshen and Stone, <i>Classification and Regression Trees</i>, 1984,
/// §3.4.3; Hastie, Tibshirani and Friedman, <i>The Elements of Statistical Learning</i>, 2nd ed., §7.10): the
/// cross-validated means of two models closer than one standard error of the best mean are not told apart by the
/// folds, so among the candidates whose mean is within one standard error of the best mean, the simplest wins.
/// The standard error is the best candidate's: SD / √n over its n fold values (folds × repeats). A candidate with
/// fewer than two values has no SD: the band is then the best mean alone (exact ties only).
/// "Simplest" compares, in order: fewer parameters; a higher dropout rate; a stronger L2 penalty; fewer epochs kept
/// (an earlier stop); then the better mean, then the earlier candidate.
/// </summary>
internal static class OneStandardErrorRule
{
    /// <summary>Chooses among <paramref name="candidates"/>; the ones with a non-finite mean or missing fold values are never chosen unless nothing else is left (then the first is).</summary>
    /// <param name="candidates">The models with their metric over the folds and what makes them simple.</param>
    /// <param name="higherIsBetter">True for accuracy-like metrics, false for losses and errors (RMSE, log-loss).</param>
    /// <param name="noun">What the sentences call a candidate ("trial").</param>
    /// <exception cref="ArgumentException"><paramref name="candidates"/> is empty.</exception>
    public static OneStandardErrorChoice Choose(IReadOnlyList<SelectionCandidate> candidates, bool higherIsBetter, string noun = "candidate")
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Count == 0)
            throw new ArgumentException("Invalid value for candidates: expected at least one candidate. Received: an empty list.", nameof(candidates));

        // "better" on one scale: the score is the mean when lower is better, its negation when higher is better
        double Score(SelectionCandidate c) => higherIsBetter ? -c.Metric.Mean : c.Metric.Mean;
        var valid = candidates.Where(c => c.Complete && double.IsFinite(c.Metric.Mean)).ToArray();
        if (valid.Length == 0)
            return new OneStandardErrorChoice(candidates[0], candidates[0], double.NaN, double.NaN,
                F($"no {noun} has a finite mean over all its folds; {noun} {candidates[0].Id} is kept"));

        var best = valid.OrderBy(Score).ThenBy(c => c.Id).First();
        int n = best.Metric.Count;
        double sd = best.Metric.StandardDeviation;
        double se = n >= 2 && double.IsFinite(sd) ? sd / Math.Sqrt(n) : double.NaN;
        double width = double.IsNaN(se) ? 0 : se;
        double bound = higherIsBetter ? best.Metric.Mean - width : best.Metric.Mean + width;
        var band = valid.Where(c => Score(c) <= Score(best) + width).ToArray();
        var chosen = band
            .OrderBy(c => c.Complexity.Parameters)
            .ThenByDescending(c => c.Complexity.DropoutRate)
            .ThenByDescending(c => c.Complexity.L2Regularization)
            .ThenBy(c => c.Complexity.Epochs)
            .ThenBy(Score)
            .ThenBy(c => c.Id)
            .First();

        string seText = double.IsNaN(se)
            ? F($"with {n} fold value{(n == 1 ? "" : "s")} it has no standard error, so only an equal mean ties with it")
            : F($"one standard error is {sd:G3} / √{n} = {se:G3}, so the band is {(higherIsBetter ? "≥" : "≤")} {bound:G4}");
        string reason;
        if (ReferenceEquals(chosen, best))
        {
            reason = band.Length == 1
                ? F($"{noun} {best.Id} has the best mean, {best.Metric.Mean:G4}; {seText}; no other {noun} is within it")
                : F($"{noun} {best.Id} has the best mean, {best.Metric.Mean:G4}; {seText}; of the {band.Length} {noun}s within it ({Ids(band)}), it is also the simplest ({best.Complexity})");
        }
        else
        {
            reason = F($"{noun} {best.Id} has the best mean, {best.Metric.Mean:G4}; {seText}; of the {band.Length} {noun}s within it ({Ids(band)}), {noun} {chosen.Id} is the simplest ({chosen.Complexity} vs {best.Complexity}) at {chosen.Metric.Mean:G4}: the folds cannot tell it from the best");
        }
        return new OneStandardErrorChoice(best, chosen, se, bound, reason);
    }

    private static string Ids(IEnumerable<SelectionCandidate> band) => string.Join(", ", band.Select(c => c.Id.ToString(CultureInfo.InvariantCulture)));

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

/// <summary>What the one-standard-error rule compares to call one model simpler than another, in this order: <see cref="Parameters"/> (fewer), <see cref="DropoutRate"/> and <see cref="L2Regularization"/> (stronger), <see cref="Epochs"/> (fewer).</summary>
/// <param name="Parameters">The network's weights and biases.</param>
/// <param name="DropoutRate">The dropout rate it trains with.</param>
/// <param name="L2Regularization">Its L2 penalty.</param>
/// <param name="Epochs">The epochs it trains for (for an early-stopped trial, the epochs it kept: the median over the folds).</param>
internal sealed record ModelComplexity(long Parameters, double DropoutRate, double L2Regularization, double Epochs)
{
    /// <summary>"12,345 parameters, dropout 0.2, L2 0.0001, 14 epochs".</summary>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{Parameters:N0} parameters, dropout {DropoutRate:G3}, L2 {L2Regularization:G3}, {Epochs:G4} epochs");
}

/// <summary>One model the rule may choose: an id for the story, its metric over the folds, whether every fold was scored, and its complexity.</summary>
internal sealed record SelectionCandidate(int Id, MetricSummary Metric, bool Complete, ModelComplexity Complexity);

/// <summary>The rule's outcome: the candidate with the best mean, the one chosen, the best mean's standard error (NaN with fewer than two values), the band's edge, and the sentence that says why.</summary>
internal sealed record OneStandardErrorChoice(SelectionCandidate BestMean, SelectionCandidate Chosen, double StandardError, double Bound, string Reason);
