using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>
/// Where a run's rows come from, as mini-batches: <see cref="TensorSet"/> (every row in memory) or
/// <see cref="StreamedRows"/> (read from the data view's cursor on every pass). The training loop, the evaluation,
/// the divergence checks and the learning-rate range test see only this.
/// </summary>
internal interface IRowSource : IDisposable
{
    /// <summary>The number of rows a pass gives.</summary>
    long Rows { get; }

    /// <summary>Values per feature vector.</summary>
    int Dimension { get; }

    /// <summary>
    /// One training pass in mini-batches of <paramref name="batchSize"/> rows (the last may be shorter), shuffled
    /// from <paramref name="generator"/> when <paramref name="shuffle"/> is set, in row order otherwise. The
    /// generator is drawn from when the reader is created.
    /// </summary>
    IBatchReader Batches(int batchSize, bool shuffle, Generator generator);

    /// <summary>One pass in row order, in chunks of <paramref name="size"/> rows (for evaluation).</summary>
    IBatchReader Chunks(int size);

    /// <summary>The loss of the best constant prediction on these rows (<see cref="Training.BaselineLoss"/>).</summary>
    double BaselineLoss(NetworkTask task, RegressionLoss regressionLoss, int classes);
}

/// <summary>A pass over a <see cref="IRowSource"/>; its batches' tensors belong to the dispose scope current when <see cref="Next"/> is called.</summary>
internal interface IBatchReader : IDisposable
{
    /// <summary>The next batch, or null at the end of the pass.</summary>
    Batch? Next();
}

/// <summary>A mini-batch: features (rows × dimension, dense or the batch's non-zeros), labels (float, or int64 class indices for multiclass), optional weights.</summary>
internal readonly record struct Batch(FeatureBatch Features, Tensor Labels, Tensor? Weights, int Count);
