namespace MlNetDeep;

/// <summary>What one training epoch measured (Keras' <c>history.history</c> entries for one epoch).</summary>
public sealed record EpochMetrics
{
    /// <summary>The epoch number, starting at 1.</summary>
    public required int Epoch { get; init; }

    /// <summary>
    /// Mean training loss over the epoch's mini-batches, including any L1/L2 penalty (Keras' <c>loss</c>).
    /// Cross-entropy is in nats (natural log), as in Keras and PyTorch; ML.NET's <c>LogLoss</c> metrics are in bits,
    /// so a history loss of L corresponds to an ML.NET LogLoss of L / ln 2 = 1.4427·L (without the penalty).
    /// </summary>
    public required double Loss { get; init; }

    /// <summary>
    /// Loss on the validation rows after the epoch, including the penalty as Keras reports it (<c>val_loss</c>), in
    /// nats like <see cref="Loss"/> (ML.NET's LogLoss is in bits: 1.4427× the penalty-free value); null without validation data.
    /// </summary>
    public double? ValidationLoss { get; init; }

    /// <summary>Training accuracy over the epoch's mini-batches (<c>accuracy</c>); null for regression.</summary>
    public double? Accuracy { get; init; }

    /// <summary>Accuracy on the validation rows (<c>val_accuracy</c>); null for regression or without validation data.</summary>
    public double? ValidationAccuracy { get; init; }

    /// <summary>The optimizer's learning rate during the epoch (Keras' <c>learning_rate</c> log); null when not recorded.</summary>
    public double? LearningRate { get; init; }

    /// <summary>Wall-clock time the epoch took, validation included.</summary>
    public TimeSpan Duration { get; init; }
}
