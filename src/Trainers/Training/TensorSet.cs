using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>A <see cref="TrainingSet"/> copied once into libtorch tensors (features float32, labels float32 or int64).</summary>
internal sealed class TensorSet : IDisposable
{
    public TensorSet(TrainingSet set, NetworkTask task)
    {
        Rows = set.Rows;
        Features = tensor(set.Features, new long[] { set.Rows, set.Dimension }).DetachFromDisposeScope();
        Labels = task == NetworkTask.Multiclass
            ? tensor(set.Labels.Select(l => (long)l).ToArray(), new long[] { set.Rows }).DetachFromDisposeScope()
            : tensor(set.Labels, new long[] { set.Rows }).DetachFromDisposeScope();
        Weights = set.Weights is null ? null : tensor(set.Weights, new long[] { set.Rows }).DetachFromDisposeScope();
    }

    public int Rows { get; }

    public Tensor Features { get; }

    public Tensor Labels { get; }

    public Tensor? Weights { get; }

    public void Dispose()
    {
        Features.Dispose();
        Labels.Dispose();
        Weights?.Dispose();
    }
}
