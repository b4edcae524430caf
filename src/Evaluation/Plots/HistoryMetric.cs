namespace MlNetDeep;

/// <summary>Which per-epoch value of a <see cref="TrainingHistory"/> a learning curve shows (Keras' history keys).</summary>
public enum HistoryMetric
{
    /// <summary>Training loss (<c>loss</c>).</summary>
    Loss,

    /// <summary>Validation loss (<c>val_loss</c>).</summary>
    ValidationLoss,

    /// <summary>Training accuracy (<c>accuracy</c>).</summary>
    Accuracy,

    /// <summary>Validation accuracy (<c>val_accuracy</c>).</summary>
    ValidationAccuracy,
}
