using System.Globalization;

namespace MlNetDeep.Training;

/// <summary>
/// The first built-in callback (Keras' <c>TerminateOnNaN</c>, and more): after each epoch it ends the run when the
/// training loss is non-finite or exploded (<see cref="DivergenceGuard"/>), before any other callback sees the epoch;
/// otherwise it keeps a copy of the epoch's weights. When the run ends (it is the last to hear of it) it makes sure
/// the weights Fit returns score finite values on the training rows: after a divergence, or when the final weights
/// overflow, the last accepted epoch's, the lowest-loss epoch's or the initial weights are restored, the first that
/// score finite values, and the history says which. A cancelled run gets the last completed epoch's weights back.
/// </summary>
internal sealed class DivergenceCallback : IEpochCallback, ITrainingCallback
{
    private readonly TrainingRun _run;
    private readonly DivergenceGuard _guard;
    private readonly WeightSnapshot _initial;
    private WeightSnapshot _lastGood;
    private WeightSnapshot _lowest;
    private double _lowestLoss = double.PositiveInfinity;
    private string? _divergence;
    private bool _sawFirstBatch;

    /// <param name="run">The run; its module's weights now are the initial ones.</param>
    /// <param name="baseline">The loss of the best constant prediction on the training rows.</param>
    /// <param name="initialName">What the initial weights are called in StopReason.</param>
    public DivergenceCallback(TrainingRun run, double baseline, string initialName)
    {
        _run = run;
        _guard = new DivergenceGuard(baseline);
        _initial = WeightSnapshot.Take(run.Module, run.FirstEpoch - 1, initialName);
        _lastGood = _lowest = _initial;
    }

    void ITrainingCallback.OnBatchEnd(double loss)
    {
        if (_sawFirstBatch)
            return;
        _sawFirstBatch = true;
        _guard.SetInitialLoss(loss); // measured before the first step: the untrained (or initial) network's loss
    }

    /// <summary>Ends the run on a non-finite or exploded epoch; otherwise records the epoch's weights.</summary>
    public void OnEpochEnd(EpochEndContext context)
    {
        double loss = context.Metrics.Loss;
        int epoch = context.Metrics.Epoch;
        if (!double.IsFinite(loss))
        {
            Diverge(context, string.Create(CultureInfo.InvariantCulture, $"the training loss became {loss} in epoch {epoch}"));
            return;
        }
        if (_guard.Exploded(loss))
        {
            // a spike within the epoch is only a suspicion: judge the weights the epoch ended with
            double endLoss = _run.Evaluate(_run.Data).Loss;
            if (!_guard.Recovered(endLoss))
            {
                Diverge(context, _guard.Explain(loss, endLoss, epoch));
                return;
            }
            _guard.Accept(endLoss);
        }
        _guard.Accept(loss);
        _lastGood = WeightSnapshot.Take(_run.Module, epoch);
        if (loss < _lowestLoss)
        {
            _lowestLoss = loss;
            _lowest = _lastGood;
        }
    }

    void ITrainingCallback.OnTrainEnd()
    {
        var history = _run.History;
        if (history.Stop == StopKind.Cancelled)
        {
            _lastGood.RestoreInto(_run.Module);
            return;
        }
        if (_divergence is not null)
        {
            KeepFiniteWeights($"diverged: {_divergence}; training stopped", " and ", new[] { _lastGood, _lowest, _initial });
            return;
        }
        if (!WeightSnapshot.ScoresFinite(_run.Module, _run.Data))
        {
            // finite losses all along, yet the weights to return overflow (e.g. one huge step in the last batch)
            bool restored = history.RestoredBestWeights;
            int current = restored ? history.BestEpoch!.Value : _lastGood.Epoch;
            string name = restored ? WeightSnapshot.NameOf(current) : _lastGood.Name;
            history.RestoredBestWeights = false;
            KeepFiniteWeights($"diverged: {name} score non-finite values on the training rows", "; ",
                new[] { _lastGood, _lowest, _initial }.Where(c => c.Epoch != current));
        }
    }

    private void Diverge(EpochEndContext context, string why)
    {
        _divergence = why;
        context.Halt(StopKind.Diverged, $"diverged: {why}; training stopped");
    }

    /// <summary>
    /// Restores the first of <paramref name="candidates"/> whose outputs are finite on the training rows (the initial
    /// weights come last), marks the run diverged and says in StopReason which weights were kept and which were not.
    /// </summary>
    private void KeepFiniteWeights(string reason, string connector, IEnumerable<WeightSnapshot> candidates)
    {
        var history = _run.History;
        history.Stop = StopKind.Diverged;
        var rejected = new List<string>();
        foreach (var candidate in candidates.Distinct())
        {
            candidate.RestoreInto(_run.Module);
            if (WeightSnapshot.ScoresFinite(_run.Module, _run.Data))
            {
                history.StopReason = rejected.Count == 0
                    ? $"{reason}{connector}{candidate.Name} were kept (lower the learning rate)"
                    : $"{reason}; {string.Join(" and ", rejected)} score non-finite values on the training rows, so {candidate.Name} were kept (lower the learning rate)";
                return;
            }
            rejected.Add(candidate.Name);
        }
        throw new ArgumentException(
            "Even the untrained network's outputs overflow float32 on the training rows: the features are too large. Scale them first (e.g. mlContext.Transforms.NormalizeMinMax).");
    }
}
