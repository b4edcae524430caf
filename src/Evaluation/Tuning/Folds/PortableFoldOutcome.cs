namespace MlNetDeep;

/// <summary>
/// A <see cref="FoldOutcome"/> as plain values, as a worker writes it: the held-out loss and metrics, the fold
/// network's whole training history and the time it took. The diagnosis is not stored: it is read again from the
/// history, which gives the same verdict.
/// </summary>
internal sealed record PortableFoldOutcome
{
    public required double Loss { get; init; }
    public required IReadOnlyDictionary<string, double> Metrics { get; init; }
    public required IReadOnlyList<EpochMetrics> Epochs { get; init; }
    public required string Monitor { get; init; }
    public int? BestEpoch { get; init; }
    public required StopKind Stop { get; init; }
    public required bool RestoredBestWeights { get; init; }
    public double? BaselineLoss { get; init; }
    public required string StopReason { get; init; }
    public int? Seed { get; init; }
    public required TimeSpan Duration { get; init; }

    public static PortableFoldOutcome From(FoldOutcome outcome) => new()
    {
        Loss = outcome.Loss,
        Metrics = outcome.Metrics.ToDictionary(m => m.Key, m => m.Value),
        Epochs = outcome.History.ToArray(),
        Monitor = outcome.History.Monitor,
        BestEpoch = outcome.History.BestEpoch,
        Stop = outcome.History.Stop,
        RestoredBestWeights = outcome.History.RestoredBestWeights,
        BaselineLoss = outcome.History.BaselineLoss,
        StopReason = outcome.History.StopReason,
        Seed = outcome.History.Seed,
        Duration = outcome.Duration,
    };

    /// <summary>The outcome, its history rebuilt and diagnosed.</summary>
    public FoldOutcome ToOutcome()
    {
        var history = new TrainingHistory(Epochs)
        {
            BaselineLoss = BaselineLoss,
            Monitor = Monitor,
            BestEpoch = BestEpoch,
            Stop = Stop,
            RestoredBestWeights = RestoredBestWeights,
            StopReason = StopReason,
            Seed = Seed,
        };
        return new FoldOutcome(Loss, Metrics.ToDictionary(m => m.Key, m => m.Value), history, history.Diagnose(), Duration);
    }
}
