using System.Globalization;

namespace MlNetDeep;

/// <summary>
/// One verdict for a trial, read from its cross-validated learning curve: the per-epoch mean of the folds' losses
/// (Chollet's K-fold practice, ch. 4: average each epoch's validation score over the folds). One fold's validation
/// curve on a few hundred rows jumps by a tenth of its value from epoch to epoch, and the diagnosis rightly refuses to
/// call such noise a U-turn; the mean of K curves has √K less noise, so a rise the folds share is seen. Every fold's
/// own diagnosis is kept beside it, and the evidence says how many folds agree.
/// </summary>
internal static class TrialDiagnosis
{
    /// <summary>
    /// The per-epoch mean of the histories, each epoch over the folds that reached it, up to the last epoch most folds
    /// completed (early stopping ends folds at different epochs; the shortest one alone would cut the curve short),
    /// with their mean baseline.
    /// </summary>
    public static TrainingHistory MeanHistory(IReadOnlyList<TrainingHistory> folds)
    {
        var lengths = folds.Select(h => h.Count).OrderByDescending(c => c).ToArray();
        int epochs = lengths[folds.Count / 2]; // reached by a majority of the folds
        static double? Mean(IEnumerable<double?> values)
        {
            var v = values.ToArray();
            return v.All(x => x is not null) ? v.Average(x => x!.Value) : null;
        }
        var mean = Enumerable.Range(0, epochs).Select(i =>
        {
            var reached = folds.Where(h => h.Count > i).Select(h => h[i]).ToArray();
            return new EpochMetrics
            {
                Epoch = reached[0].Epoch,
                Loss = reached.Average(e => e.Loss),
                ValidationLoss = Mean(reached.Select(e => e.ValidationLoss)),
                Accuracy = Mean(reached.Select(e => e.Accuracy)),
                ValidationAccuracy = Mean(reached.Select(e => e.ValidationAccuracy)),
                LearningRate = reached[0].LearningRate,
                Duration = TimeSpan.FromTicks((long)reached.Average(e => e.Duration.Ticks)),
            };
        }).ToArray();
        int? best = null;
        for (int i = 0; i < mean.Length; i++)
        {
            if (mean[i].ValidationLoss is double v && (best is null || v < mean[best.Value].ValidationLoss))
                best = i;
        }
        var stop = folds.All(h => h.Stop == StopKind.EarlyStopped) ? StopKind.EarlyStopped
            : folds.Any(h => h.Stop == StopKind.Diverged) ? StopKind.Diverged
            : StopKind.Completed;
        return new TrainingHistory(mean)
        {
            BaselineLoss = Mean(folds.Select(h => h.BaselineLoss)),
            Monitor = folds[0].Monitor,
            BestEpoch = best is int b ? mean[b].Epoch : null,
            Stop = stop,
            RestoredBestWeights = folds.All(h => h.RestoredBestWeights),
            StopReason = string.Create(CultureInfo.InvariantCulture,
                $"the mean of {folds.Count} folds over the {epochs} epoch(s) most of them completed ({string.Join(", ", folds.GroupBy(h => h.Stop).Select(g => $"{g.Count()} {g.Key}"))})"),
        };
    }

    /// <summary>
    /// The diagnosis of <paramref name="mean"/>, its evidence opened by the count of each fold verdict; a tie or
    /// disagreement is visible there, while the verdict and onset are the mean curve's.
    /// </summary>
    public static FitDiagnosis Read(TrainingHistory mean, IReadOnlyList<FitDiagnosis> folds)
    {
        var diagnosis = mean.Diagnose();
        var counts = folds.GroupBy(d => d.Verdict).OrderByDescending(g => g.Count()).ThenBy(g => g.Key)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()} {g.Key}"));
        string summary = string.Create(CultureInfo.InvariantCulture,
            $"Read from the mean of the {folds.Count} folds' curves; {folds.Count(d => d.Verdict == diagnosis.Verdict)} of {folds.Count} folds alone read {diagnosis.Verdict} ({string.Join(", ", counts)}).");
        return new FitDiagnosis(diagnosis.Verdict, diagnosis.OverfittingEpoch, diagnosis.Evidence.Prepend(summary).ToArray(), diagnosis.Advice);
    }
}
