namespace MlNetDeep.Evaluation.Tests;

/// <summary>Scripted training histories shaped like the lecture's curves.</summary>
internal static class Histories
{
    /// <summary>Training loss falls, validation loss is U-shaped with its minimum at <paramref name="best"/>; stopped early after <paramref name="epochs"/>.</summary>
    public static TrainingHistory Overfitting(int epochs = 12, int best = 5, double offset = 0, bool stoppedEarly = true)
    {
        var history = new TrainingHistory(Enumerable.Range(1, epochs).Select(e => new EpochMetrics
        {
            Epoch = e,
            Loss = 0.7 * Math.Exp(-0.25 * e) + 0.02 + offset,
            ValidationLoss = 0.3 + 0.01 * (e - best) * (e - best) + offset,
            Accuracy = 1 - 0.5 * Math.Exp(-0.3 * e),
            ValidationAccuracy = 0.85 - 0.002 * (e - best) * (e - best),
        }));
        history.BestEpoch = best;
        history.Stop = stoppedEarly ? StopKind.EarlyStopped : StopKind.Completed;
        return history;
    }
}
