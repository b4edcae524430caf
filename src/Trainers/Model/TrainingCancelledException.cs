namespace MlNetDeep;

/// <summary>
/// Thrown by a dense-network trainer's <c>Fit</c> when <see cref="DenseNetworkOptions.CancellationToken"/> is cancelled
/// while the network trains. It is an <see cref="OperationCanceledException"/> (.NET's convention for a cancelled
/// operation, so <c>catch (OperationCanceledException)</c> keeps working) that carries what was trained up to then:
/// the <see cref="History"/> of the completed epochs, with <see cref="TrainingHistory.Stop"/> =
/// <see cref="StopKind.Cancelled"/>, and the <see cref="Model"/> of the last completed epoch, which a later
/// <c>Fit(trainData, initialModel)</c> can continue from. A token cancelled while Fit still reads the data throws a
/// plain <see cref="OperationCanceledException"/>: nothing was trained yet.
/// </summary>
public sealed class TrainingCancelledException : OperationCanceledException
{
    /// <summary>Creates the exception; its message is the history's <see cref="TrainingHistory.StopReason"/> and what the model holds.</summary>
    /// <param name="history">The record of the cancelled run.</param>
    /// <param name="model">The network as it was after the last completed epoch; null when no epoch completed and there was no initial model.</param>
    /// <param name="cancellationToken">The token that was cancelled.</param>
    /// <exception cref="ArgumentNullException"><paramref name="history"/> is null.</exception>
    public TrainingCancelledException(TrainingHistory history, DenseNetworkModel? model, CancellationToken cancellationToken)
        : base(Describe(history, model), cancellationToken)
    {
        History = history;
        Model = model;
    }

    /// <summary>The completed epochs (a warm start's include the initial model's); Stop is <see cref="StopKind.Cancelled"/>, StopReason says after which epoch.</summary>
    public TrainingHistory History { get; }

    /// <summary>
    /// The network with the weights of the last completed epoch (not the best epoch's, even with
    /// <c>RestoreBestWeights</c>: use <see cref="ModelCheckpoint"/> to keep those), its class names and <see cref="History"/>;
    /// a warm start cancelled before its first epoch completed gives back the initial model's weights. Null when no epoch
    /// completed and training started from scratch.
    /// </summary>
    public DenseNetworkModel? Model { get; }

    private static string Describe(TrainingHistory history, DenseNetworkModel? model)
    {
        ArgumentNullException.ThrowIfNull(history);
        return model is null
            ? $"Training was {history.StopReason}; no model was trained."
            : $"Training was {history.StopReason}; the exception's Model holds the network after epoch {(history.Count == 0 ? "0 (the initial model)" : history[^1].Epoch)} and History its {history.Count} epoch(s).";
    }
}
