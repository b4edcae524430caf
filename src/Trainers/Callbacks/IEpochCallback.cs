namespace MlNetDeep;

/// <summary>
/// Code that runs after every training epoch (Keras' <c>Callback.on_epoch_end</c>): it reads the epoch's metrics and
/// the history so far, may change the learning rate and may stop training. Add it to
/// <see cref="DenseNetworkOptions.Callbacks"/>; callbacks run in list order.
/// </summary>
public interface IEpochCallback
{
    /// <summary>Called once after each epoch, after validation and after <see cref="DenseNetworkOptions.Progress"/>.</summary>
    void OnEpochEnd(EpochEndContext context);
}
