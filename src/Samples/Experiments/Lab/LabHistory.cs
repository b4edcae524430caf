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
}
