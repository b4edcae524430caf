namespace MlNetDeep.Training;

/// <summary>
/// Hooks of the built-in callbacks beyond <see cref="IEpochCallback.OnEpochEnd"/>: a fresh start for every Fit (one
/// options object may serve several folds) and a say in the rate before an epoch begins.
/// </summary>
internal interface ITrainingCallback
{
    /// <summary>Called before the first epoch of every Fit: forget what an earlier run left behind.</summary>
    void OnTrainBegin();

    /// <summary>Called before each epoch (1-based); returns the learning rate to train it with.</summary>
    double OnEpochBegin(int epoch, double learningRate);
}
