namespace MlNetDeep.Training;

/// <summary>
/// Trains one epoch's mini-batches of a run: forward pass, loss, backward pass, gradient clipping and one optimizer
/// step per batch. <see cref="TorchEpochTrainer"/> runs them in libtorch; <see cref="Managed.ManagedEpochTrainer"/>
/// runs them on managed arrays for small dense networks (<see cref="Managed.ManagedTraining"/> chooses). Either way
/// the run's <see cref="DenseNetworkModule"/> holds the epoch's final weights when <see cref="TrainEpoch"/> returns, so
/// evaluation, snapshots, checkpoints and the returned layers read them from there.
/// </summary>
internal interface IEpochTrainer : IDisposable
{
    /// <summary>The optimizer's rate for the next steps.</summary>
    double LearningRate { get; }

    /// <summary>Sets the optimizer's rate from the next step on.</summary>
    void SetLearningRate(double rate);

    /// <summary>
    /// One pass over the training rows (a new permutation drawn from the run's generator when shuffling); returns the
    /// epoch's mean loss and correct-prediction count, or null when the cancellation token was set before a batch.
    /// Each batch's loss goes to every hook's <see cref="ITrainingCallback.OnBatchEnd"/>; a non-finite batch loss ends the epoch.
    /// </summary>
    (double Loss, long Correct)? TrainEpoch(IReadOnlyList<ITrainingCallback> hooks);
}
