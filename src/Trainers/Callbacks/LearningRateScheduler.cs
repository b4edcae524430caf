using MlNetDeep.Training;

namespace MlNetDeep;

/// <summary>
/// Sets the learning rate before every epoch from a function of the epoch and the current rate (Keras'
/// <c>LearningRateScheduler(schedule)</c>; epochs are numbered from 1 here, as in <see cref="TrainingHistory"/>,
/// where Keras passes a 0-based index). Common schedules in one line, with r₀ the initial rate:
/// <list type="bullet">
/// <item>step decay, halving every 10 epochs: <c>(epoch, rate) =&gt; r0 * Math.Pow(0.5, (epoch - 1) / 10)</c></item>
/// <item>exponential decay: <c>(epoch, rate) =&gt; epoch == 1 ? rate : rate * 0.95</c></item>
/// <item>cosine over E epochs: <c>(epoch, rate) =&gt; 0.5 * r0 * (1 + Math.Cos(Math.PI * (epoch - 1) / E))</c></item>
/// </list>
/// </summary>
public sealed class LearningRateScheduler : IEpochCallback, ITrainingCallback
{
    private readonly Func<int, double, double> _schedule;

    /// <summary>Creates the scheduler.</summary>
    /// <param name="schedule">(epoch number from 1, current rate) → the rate for that epoch.</param>
    /// <exception cref="ArgumentNullException"><paramref name="schedule"/> is null.</exception>
    public LearningRateScheduler(Func<int, double, double> schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        _schedule = schedule;
    }

    /// <summary>Does nothing: the rate is set before each epoch.</summary>
    public void OnEpochEnd(EpochEndContext context)
    {
    }

    double ITrainingCallback.OnEpochBegin(int epoch, double learningRate)
    {
        double rate = _schedule(epoch, learningRate);
        if (!(rate >= 0) || double.IsInfinity(rate))
            throw new InvalidOperationException($"The learning-rate schedule returned {rate} for epoch {epoch}; expected a finite number >= 0.");
        return rate;
    }
}
