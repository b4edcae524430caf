namespace MlNetDeep;

/// <summary>
/// How one fold of one trial trains, wherever it runs: on the fold's training rows, validating on its validation
/// rows, with the seed <see cref="TrialRunner.FoldSeed"/> derives from the search's seed, the repeat and the fold;
/// then its held-out rows are scored.
/// </summary>
internal static class FoldTraining
{
    /// <summary>Trains and scores one fold; the outcome's duration is read from <paramref name="clock"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="token"/> was cancelled while the network trained.</exception>
    public static FoldOutcome Train(TuningTask task, DenseNetworkOptions trialOptions, TuningFold fold, int seed, CancellationToken token, TimeProvider clock)
    {
        var o = trialOptions.Clone();
        o.ValidationFraction = 0;
        o.ValidationData = fold.Validation;
        o.Seed = TrialRunner.FoldSeed(seed, fold.Repeat, fold.Index);
        o.CancellationToken = token;
        o.Progress = null;
        long begin = clock.GetTimestamp();
        var model = task.Fit(o, fold.Train);
        var (loss, metrics) = task.Evaluate(model.Transform(fold.HeldOut), o.LabelColumnName);
        var history = WithBaseline(model.History, fold.ValidationBaseline);
        return new FoldOutcome(loss, metrics, history, history.Diagnose(), clock.GetElapsedTime(begin));
    }

    /// <summary>
    /// The history with the constant-prediction loss on the fold's validation rows as its baseline, when the trainer
    /// did not record one, so the diagnosis can tell NotLearning and NotGeneralizing apart from the rest.
    /// </summary>
    private static TrainingHistory WithBaseline(TrainingHistory history, double baseline)
    {
        if (history.BaselineLoss is not null || !double.IsFinite(baseline))
            return history;
        return new TrainingHistory(history)
        {
            BaselineLoss = baseline,
            Monitor = history.Monitor,
            BestEpoch = history.BestEpoch,
            Stop = history.Stop,
            RestoredBestWeights = history.RestoredBestWeights,
            StopReason = history.StopReason,
        };
    }
}
