using System.Globalization;

namespace MlNetDeep;

/// <summary>
/// Successive halving (Jamieson and Talwalkar, 2016; the rungs of Hyperband and of Optuna's pruner): every candidate
/// trains a quarter of the epochs, the better half (by mean held-out loss) goes on to half the epochs, and the better
/// half of those to the full budget. Each rung trains from scratch with the same seeds, so a rung's trial is an
/// ordinary trial at a shorter budget. A candidate carries its trial forward when its own epochs are already reached,
/// or when early stopping ended every fold before the budget (a longer budget would train the same networks).
/// Short budgets favour candidates that learn fast (a known bias of early pruning), which is why the full-budget
/// rung keeps two.
/// </summary>
internal static class SuccessiveHalving
{
    /// <summary>How the epochs shrink between rungs, and the share of candidates each rung keeps (1/η).</summary>
    private const int Eta = 2;

    /// <summary>Rungs below the full budget.</summary>
    private const int ShortRungs = 2;

    /// <summary>Runs the rungs; returns a sentence saying how many candidates ran at which budget, or null when none ran.</summary>
    public static string? Run(TrialRunner runner, IReadOnlyList<TrialSpec> candidates, int epochs)
    {
        var budgets = Enumerable.Range(0, ShortRungs + 1)
            .Select(j => Math.Max(1, epochs / (int)Math.Pow(Eta, ShortRungs - j)))
            .Distinct().ToArray();
        var alive = candidates.Select(c => (Spec: c, Last: (DenseNetworkTrial?)null)).ToList();
        var story = new List<string>();
        for (int rung = 0; rung < budgets.Length && alive.Count > 0; rung++)
        {
            var toRun = new List<(int Position, TrialSpec Spec)>();
            for (int i = 0; i < alive.Count; i++)
            {
                int budget = Math.Min(alive[i].Spec.Options.Epochs, budgets[rung]);
                if (alive[i].Last is { } last && (last.Epochs == budget || last.Histories.All(h => h.StoppedEarly)))
                    continue; // its own epochs are reached, or early stopping ended every fold sooner: more epochs would train the same networks (same seeds)
                var options = alive[i].Spec.Options.Clone();
                options.Epochs = budget;
                toRun.Add((i, alive[i].Spec with { Options = options }));
            }
            var trials = runner.Run(toRun.Select(t => t.Spec).ToArray());
            for (int j = 0; j < toRun.Count; j++)
                alive[toRun[j].Position] = (alive[toRun[j].Position].Spec, trials[j]);
            alive.RemoveAll(a => a.Last is null); // did not run (budget): out of the race
            if (alive.Count == 0)
                break;
            story.Add(string.Create(CultureInfo.InvariantCulture, $"{alive.Count} at {budgets[rung]} epochs"));
            if (runner.Stopped || rung == budgets.Length - 1)
                break;

            int keep = Math.Max(1, (alive.Count + Eta - 1) / Eta);
            var ranked = alive.OrderBy(a => a.Last!.Rank).ThenBy(a => a.Last!.Index).ToList();
            foreach (var (_, last) in ranked.Skip(keep))
                last!.Pruned = true;
            alive = ranked.Take(keep).ToList();
        }
        return story.Count == 0 ? null : "successive halving ran " + string.Join(", then ", story);
    }
}
