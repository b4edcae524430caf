namespace MlNetDeep.Samples.Experiments.Lab;

/// <summary>Reading the experiments' training histories.</summary>
internal static class LabHistory
{
    /// <summary>
    /// The epoch with the lowest validation loss and that loss: the history's own <see cref="TrainingHistory.BestEpoch"/>,
    /// which the trainer tracks on val_loss whenever there is validation data and no other early-stopping monitor
    /// (every run the experiments read this way). (0, NaN) when no epoch had a finite validation loss.
    /// </summary>
    public static (int Epoch, double Loss) BestValidation(TrainingHistory history) =>
        history.BestEpoch is int best ? (best, history[best - 1].ValidationLoss ?? double.NaN) : (0, double.NaN);

    /// <summary>Each run's diagnosis (the lab prints them and the report shows them under the figures).</summary>
    public static IReadOnlyList<RunDiagnosis> Diagnose(IEnumerable<(string Label, TrainingHistory History)> runs) =>
        runs.Where(r => r.History.Count > 0).Select(r => new RunDiagnosis(r.Label, r.History.Diagnose())).ToArray();

    /// <summary>A loss chart of several runs with each run's baseline and overfitting onset drawn (<see cref="LearningCurvePlot.AddDiagnosis"/>).</summary>
    public static LearningCurvePlot WithDiagnoses(this LearningCurvePlot plot, IEnumerable<(string Label, TrainingHistory History)> runs)
    {
        foreach (var (label, history) in runs)
            if (history.Count > 0)
                plot.AddDiagnosis(history, runLabel: label);
        return plot;
    }
}
