using System.Globalization;

namespace MlNetDeep.Training;

/// <summary>
/// The second built-in callback: Keras' <c>EarlyStopping</c> on <see cref="TrainingHistory.Monitor"/>
/// (<see cref="EarlyStoppingTracker"/>). It always tracks the best epoch; with <see cref="EarlyStoppingOptions"/> it
/// asks to stop after <c>Patience</c> epochs without improvement (not after the last epoch: that run completed), and
/// with <c>RestoreBestWeights</c> it keeps a copy of the best epoch's weights and restores it when the run ends
/// (not after a divergence or a cancellation).
/// </summary>
internal sealed class EarlyStoppingCallback : IEpochCallback, ITrainingCallback
{
    private readonly TrainingRun _run;
    private readonly EarlyStoppingOptions? _options;
    private readonly EarlyStoppingTracker _tracker;
    private WeightSnapshot? _best;

    public EarlyStoppingCallback(TrainingRun run)
    {
        _run = run;
        _options = run.Options.EarlyStopping;
        _tracker = new EarlyStoppingTracker(run.History.Monitor, _options);
    }

    /// <summary>Feeds the epoch's monitored value to the tracker; copies the weights of a new best; asks to stop when patience ran out.</summary>
    public void OnEpochEnd(EpochEndContext context)
    {
        int epoch = context.Metrics.Epoch;
        var (improved, stop) = _tracker.Update(epoch, EarlyStoppingTracker.Read(context.Metrics, _tracker.Monitor));
        if (improved && _options?.RestoreBestWeights == true)
            _best = WeightSnapshot.Take(_run.Module, epoch);
        if (stop && _options is not null && epoch < _run.LastEpoch)
            context.RequestStop(StopKind.EarlyStopped, string.Create(CultureInfo.InvariantCulture,
                $"stopped early after epoch {epoch}: {_tracker.Monitor} did not improve for {_options.Patience} epoch(s) (best {_tracker.Best:G6} at epoch {_tracker.BestEpoch})"));
    }

    void ITrainingCallback.OnTrainEnd()
    {
        var history = _run.History;
        history.BestEpoch = _tracker.BestEpoch == 0 ? null : _tracker.BestEpoch;
        if (_best is null || history.Stop is StopKind.Diverged or StopKind.Cancelled)
            return;
        _best.RestoreInto(_run.Module);
        history.RestoredBestWeights = true;
        history.StopReason += string.Create(CultureInfo.InvariantCulture, $"; restored the weights of epoch {_tracker.BestEpoch}");
    }
}
