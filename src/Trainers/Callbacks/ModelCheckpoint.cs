using System.Globalization;
using MlNetDeep.Training;

namespace MlNetDeep;

/// <summary>
/// Saves the network after an epoch as a standard ML.NET model zip that <c>mlContext.Model.Load</c> reads, so a crash
/// at epoch 80 of 100 loses nothing (Keras' <c>ModelCheckpoint(filepath, monitor="val_loss", save_best_only=True)</c>).
/// The zip holds the network with its class names and history so far: it reads the trainer's feature column, so a
/// pipeline's earlier transforms (e.g. the bag-of-words) are not in it; <c>DenseNetworkModel.FromTransformer</c>
/// recovers the network from it. A file is written next to the target and then moved over it, so a crash while
/// writing leaves the previous checkpoint intact.
/// </summary>
public sealed class ModelCheckpoint : IEpochCallback, ITrainingCallback
{
    private double _best;

    /// <summary>Creates the callback.</summary>
    /// <param name="path">The zip to write; "{epoch}" in it is replaced by the epoch number (Keras' <c>{epoch}</c>).</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or blank.</exception>
    public ModelCheckpoint(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new ArgumentException($"Invalid value for path: expected a file path. Received: path='{path}'.", nameof(path));
        Path = path;
    }

    /// <summary>The zip written (with "{epoch}" replaced).</summary>
    public string Path { get; }

    /// <summary>The metric that decides "best": "val_loss", "loss", "val_accuracy" or "accuracy".</summary>
    /// <value>The default value is "val_loss".</value>
    public string Monitor { get; set; } = "val_loss";

    /// <summary>Whether to save only when <see cref="Monitor"/> improves (true) or after every epoch (false).</summary>
    /// <value>The default value is true.</value>
    public bool SaveBestOnly { get; set; } = true;

    /// <summary>The epoch of the last file written; null before the first.</summary>
    public int? LastSavedEpoch { get; private set; }

    /// <summary>Saves the network when the epoch is the best so far (or always).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is null.</exception>
    public void OnEpochEnd(EpochEndContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (SaveBestOnly)
        {
            double current = EarlyStoppingTracker.Read(context.Metrics, Monitor);
            bool rising = MonitoredMetric.Rising(Monitor);
            if (double.IsNaN(current) || !(rising ? current > _best : current < _best))
                return;
            _best = current;
        }
        int epoch = context.Metrics.Epoch;
        context.SaveModel(Path.Replace("{epoch}", epoch.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        LastSavedEpoch = epoch;
    }

    /// <summary>Records every invalid setting in <paramref name="errors"/>.</summary>
    internal void Check(Common.OptionErrors errors, bool hasValidation)
    {
        const string Name = nameof(ModelCheckpoint);
        MonitoredMetric.Check(errors, Name, Monitor, needsValue: SaveBestOnly, hasValidation);
    }

    void ITrainingCallback.OnTrainBegin()
    {
        _best = MonitoredMetric.Worst(Monitor);
        LastSavedEpoch = null;
    }
}
