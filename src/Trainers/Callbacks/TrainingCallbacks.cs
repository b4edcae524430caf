namespace MlNetDeep.Training;

/// <summary>
/// The hooks of a training run beyond <see cref="IEpochCallback.OnEpochEnd"/>, each a no-op unless a callback
/// overrides it (skorch's <c>Callback</c>): the built-in callbacks (divergence, early stopping) and the public ones
/// that keep state (<see cref="ReduceLearningRateOnPlateau"/>, <see cref="LearningRateScheduler"/>,
/// <see cref="ModelCheckpoint"/>) implement it. The loop calls <see cref="OnTrainBegin"/>, <see cref="OnEpochBegin"/>
/// and <see cref="OnBatchEnd"/> in list order and <see cref="OnTrainEnd"/> in reverse list order, like nested
/// <c>using</c> blocks: the first callback (the divergence guard) has the last word on the weights Fit returns.
/// </summary>
internal interface ITrainingCallback
{
    /// <summary>Called before the first epoch of every Fit: forget what an earlier run left behind.</summary>
    void OnTrainBegin()
    {
    }

    /// <summary>Called before each epoch (numbered from 1, or on from a warm start's last epoch); returns the learning rate to train it with.</summary>
    double OnEpochBegin(int epoch, double learningRate) => learningRate;

    /// <summary>Called after every mini-batch's optimizer step with the batch's loss (measured before the step).</summary>
    void OnBatchEnd(double loss)
    {
    }

    /// <summary>Called once after the last epoch (however the run ended), before the weights are copied out; in reverse list order.</summary>
    void OnTrainEnd()
    {
    }
}
