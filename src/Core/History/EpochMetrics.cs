namespace MlNetDeep;

/// <summary>What one training epoch measured (Keras' <c>history.history</c> entries for one epoch).</summary>
public sealed record EpochMetrics
{
    /// <summary>The epoch number, starting at 1.</summary>
    public required int Epoch { get; init; }

    /// <summary>Mean training loss over the epoch's mini-batches, including any L1/L2 penalty (Keras' <c>loss</c>).</summary>
    public required double Loss { get; init; }

    /// <summary>Loss on the validation rows after the epoch, including the penalty as Keras reports it (<c>val_loss</c>); null without validation data.</summary>
    public double? ValidationLoss { get; init; }

    /// <summary>Training accuracy over the epoch's mini-batches (<c>accuracy</c>); null for regression.</summary>
    public double? Accuracy { get; init; }

    /// <summary>Accuracy on the validation rows (<c>val_accuracy</c>); null for regression or without validation data.</summary>
    public double? ValidationAccuracy { get; init; }

    /// <summary>Wall-clock time the epoch took, validation included.</summary>
    public TimeSpan Duration { get; init; }
}
