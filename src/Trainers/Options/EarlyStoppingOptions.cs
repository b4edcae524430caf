namespace MlNetDeep;

/// <summary>
/// Early stopping, as Keras' <c>EarlyStopping</c> callback: stop when the monitored metric has not improved by
/// more than <see cref="MinDelta"/> for <see cref="Patience"/> epochs, optionally restoring the best weights.
/// </summary>
public sealed class EarlyStoppingOptions
{
    /// <summary>The metric to watch: "val_loss", "val_accuracy", "loss" or "accuracy".</summary>
    /// <value>The default value is "val_loss" (Keras' default).</value>
    public string Monitor { get; set; } = "val_loss";

    /// <summary>Epochs without improvement after which training stops.</summary>
    /// <value>The default value is 0 (Keras' default: stop at the first epoch that does not improve).</value>
    public int Patience { get; set; }

    /// <summary>The smallest change that counts as an improvement.</summary>
    /// <value>The default value is 0 (Keras' <c>min_delta</c>).</value>
    public double MinDelta { get; set; }

    /// <summary>Whether the weights of the best epoch are put back when training ends.</summary>
    /// <value>The default value is false (Keras' <c>restore_best_weights</c> default).</value>
    public bool RestoreBestWeights { get; set; }

    /// <summary>The metrics <see cref="Monitor"/> accepts.</summary>
    public static IReadOnlyList<string> MonitorNames { get; } = new[] { "val_loss", "val_accuracy", "loss", "accuracy" };

    internal EarlyStoppingOptions Clone() => (EarlyStoppingOptions)MemberwiseClone();
}
