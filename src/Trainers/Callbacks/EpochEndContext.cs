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

    /// <summary>True once a callback has called <see cref="StopTraining"/> in this epoch.</summary>
    public bool StopRequested { get; private set; }

    /// <summary>Ends training after this epoch (Keras' <c>model.stop_training = True</c>); the history's Stop becomes <see cref="StopKind.Callback"/>.</summary>
    public void StopTraining() => StopRequested = true;
}
