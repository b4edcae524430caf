using System.Globalization;

namespace MlNetDeep;

/// <summary>What an <see cref="IEpochCallback"/> sees and can change at the end of an epoch.</summary>
public sealed class EpochEndContext
{
    private double _learningRate;

    private readonly Action<string>? _saveModel;

    internal EpochEndContext(EpochMetrics metrics, TrainingHistory history, double learningRate, Action<string>? saveModel = null)
    {
        Metrics = metrics;
        History = history;
        _learningRate = learningRate;
        _saveModel = saveModel;
    }

    /// <summary>Saves the network as it is after this epoch as an ML.NET model zip (what <see cref="ModelCheckpoint"/> calls).</summary>
    internal void SaveModel(string path)
    {
        if (_saveModel is null)
            throw new InvalidOperationException("This trainer cannot save checkpoints.");
        _saveModel(path);
    }

    /// <summary>The epoch that just ended.</summary>
    public EpochMetrics Metrics { get; }

    /// <summary>The run's history so far, this epoch included.</summary>
    public TrainingHistory History { get; }

    /// <summary>The optimizer's learning rate; a new value takes effect from the next batch (the next epoch's first).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            if (!(value >= 0) || double.IsInfinity(value))
                throw new ArgumentOutOfRangeException(nameof(value), value, $"Invalid value for LearningRate: expected a finite number >= 0. Received: LearningRate={value}.");
            _learningRate = value;
        }
    }

    /// <summary>
    /// True once a callback has asked to end training after this epoch: one before it in the list called
    /// <see cref="StopTraining"/>, or the built-in early stopping (which runs before the callbacks of
    /// <see cref="DenseNetworkOptions.Callbacks"/>) decided to stop.
    /// </summary>
    public bool StopRequested => RequestedStop is not null;

    /// <summary>How the run ends if it stops after this epoch; the last request wins.</summary>
    internal StopKind? RequestedStop { get; private set; }

    /// <summary>The <see cref="TrainingHistory.StopReason"/> of the last request.</summary>
    internal string? RequestedStopReason { get; private set; }

    /// <summary>True when a built-in callback ended the run at once: the callbacks after it do not see this epoch.</summary>
    internal bool Halted { get; private set; }

    /// <summary>Ends training after this epoch (Keras' <c>model.stop_training = True</c>); the history's Stop becomes <see cref="StopKind.Callback"/>.</summary>
    public void StopTraining() => RequestStop(StopKind.Callback, string.Create(CultureInfo.InvariantCulture, $"stopped by a callback after epoch {Metrics.Epoch}"));

    /// <summary>Asks to end training after this epoch, saying how and why; a later request replaces it.</summary>
    internal void RequestStop(StopKind kind, string reason)
    {
        RequestedStop = kind;
        RequestedStopReason = reason;
    }

    /// <summary>Ends training now: no callback after the caller sees this epoch (divergence).</summary>
    internal void Halt(StopKind kind, string reason)
    {
        RequestStop(kind, reason);
        Halted = true;
    }
}
