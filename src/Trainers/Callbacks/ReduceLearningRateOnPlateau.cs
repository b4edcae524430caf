using MlNetDeep.Common;
using MlNetDeep.Training;

namespace MlNetDeep;

/// <summary>
/// Multiplies the learning rate by <see cref="Factor"/> when <see cref="Monitor"/> has not improved by more than
/// <see cref="MinDelta"/> for <see cref="Patience"/> epochs (Keras' <c>ReduceLROnPlateau</c>, same defaults and
/// rules): losses must fall, accuracies rise; after a cut it waits <see cref="Cooldown"/> epochs before counting
/// again, and it never goes below <see cref="MinLearningRate"/>. Its state starts afresh at every Fit.
/// </summary>
public sealed class ReduceLearningRateOnPlateau : IEpochCallback, ITrainingCallback
{
    private double _best;
    private int _wait;
    private int _cooldownLeft;

    /// <summary>The metric watched: "val_loss", "loss", "val_accuracy" or "accuracy".</summary>
    /// <value>The default value is "val_loss".</value>
    public string Monitor { get; set; } = "val_loss";

    /// <summary>The factor the rate is multiplied by at a plateau, in (0, 1).</summary>
    /// <value>The default value is 0.1.</value>
    public double Factor { get; set; } = 0.1;

    /// <summary>Epochs without improvement before the rate is cut.</summary>
    /// <value>The default value is 10.</value>
    public int Patience { get; set; } = 10;

    /// <summary>The smallest change that counts as an improvement (absolute).</summary>
    /// <value>The default value is 1e-4.</value>
    public double MinDelta { get; set; } = 1e-4;

    /// <summary>Epochs to wait after a cut before counting epochs without improvement again.</summary>
    /// <value>The default value is 0.</value>
    public int Cooldown { get; set; }

    /// <summary>The rate is never cut below this.</summary>
    /// <value>The default value is 0.</value>
    public double MinLearningRate { get; set; }

    /// <summary>Counts the epoch and cuts the rate at a plateau.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is null.</exception>
    public void OnEpochEnd(EpochEndContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        double current = EarlyStoppingTracker.Read(context.Metrics, Monitor);
        if (double.IsNaN(current))
            return; // Keras warns and skips when the monitored value is missing
        bool rising = MonitoredMetric.Rising(Monitor);
        if (_cooldownLeft > 0)
        {
            _cooldownLeft--;
            _wait = 0;
        }
        bool improved = rising ? current > _best + MinDelta : current < _best - MinDelta;
        if (improved)
        {
            _best = current;
            _wait = 0;
        }
        else if (_cooldownLeft == 0)
        {
            _wait++;
            // compared in float32, as Keras does: 1e-3 × 0.1³ is 1.0000000000000002e-6 in double, "above" a 1e-6 floor
            if (_wait >= Patience && (float)context.LearningRate > (float)MinLearningRate)
            {
                context.LearningRate = Math.Max(context.LearningRate * Factor, MinLearningRate);
                _cooldownLeft = Cooldown;
                _wait = 0;
            }
        }
    }

    /// <summary>Records every invalid setting in <paramref name="errors"/>.</summary>
    internal void Check(OptionErrors errors, bool hasValidation)
    {
        const string Name = nameof(ReduceLearningRateOnPlateau);
        MonitoredMetric.Check(errors, Name, Monitor, needsValue: true, hasValidation);
        errors.Check(Factor > 0 && Factor < 1, $"{Name}.{nameof(Factor)}", "a number in (0, 1)", Factor);
        errors.Check(Patience >= 0, $"{Name}.{nameof(Patience)}", "an integer >= 0", Patience);
        errors.Check(MinDelta >= 0 && !double.IsInfinity(MinDelta), $"{Name}.{nameof(MinDelta)}", "a finite number >= 0", MinDelta);
        errors.Check(Cooldown >= 0, $"{Name}.{nameof(Cooldown)}", "an integer >= 0", Cooldown);
        errors.Check(MinLearningRate >= 0 && !double.IsInfinity(MinLearningRate), $"{Name}.{nameof(MinLearningRate)}", "a finite number >= 0", MinLearningRate);
    }

    void ITrainingCallback.OnTrainBegin()
    {
        _best = MonitoredMetric.Worst(Monitor);
        _wait = 0;
        _cooldownLeft = 0;
    }
}
