namespace MlNetDeep.Training;

/// <summary>
/// Keras' EarlyStopping decision rule, kept free of tensors so it can be tested on a scripted list of values:
/// an epoch improves when it beats the best by more than min_delta (lower for losses, higher for accuracies);
/// training stops once <c>patience</c> epochs in a row have not improved (never after the first epoch).
/// Without early-stopping options it only tracks the best epoch.
/// </summary>
internal sealed class EarlyStoppingTracker
{
    private readonly bool _higherIsBetter;
    private readonly double _minDelta;
    private readonly int? _patience;
    private int _wait;

    public EarlyStoppingTracker(string monitor, EarlyStoppingOptions? options)
    {
        Monitor = monitor;
        _higherIsBetter = monitor.EndsWith("accuracy", StringComparison.Ordinal);
        _minDelta = options?.MinDelta ?? 0;
        _patience = options?.Patience;
        Best = _higherIsBetter ? double.NegativeInfinity : double.PositiveInfinity;
    }

    public string Monitor { get; }

    public double Best { get; private set; }

    /// <summary>1-based epoch of <see cref="Best"/>; 0 before any epoch improved.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>Feeds one epoch's monitored value; returns (improved, stop).</summary>
    public (bool Improved, bool Stop) Update(int epoch, double value)
    {
        bool improved = !double.IsNaN(value) && (BestEpoch == 0
            ? true
            : _higherIsBetter ? value - _minDelta > Best : value + _minDelta < Best);
        if (improved)
        {
            Best = value;
            BestEpoch = epoch;
            _wait = 0;
            return (true, false);
        }
        _wait++;
        bool stop = _patience is int p && _wait >= p && epoch > 1;
        return (false, stop);
    }

    /// <summary>Picks the value the tracker watches from one epoch's metrics.</summary>
    public static double Read(EpochMetrics m, string monitor) => monitor switch
    {
        "val_loss" => m.ValidationLoss ?? double.NaN,
        "val_accuracy" => m.ValidationAccuracy ?? double.NaN,
        "accuracy" => m.Accuracy ?? double.NaN,
        _ => m.Loss,
    };
}
