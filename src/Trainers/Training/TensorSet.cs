using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>A <see cref="TrainingSet"/> as libtorch tensors (features and float labels share the arrays' memory; class indices are int64).</summary>
internal sealed partial class TensorSet : IDisposable
{
    public TensorSet(TrainingSet set, NetworkTask task)
    {
        Set = set;
        Rows = set.Rows;
        Features = Wrap(set.Features, set.Start * set.Dimension, set.Rows, set.Dimension);
        Labels = task == NetworkTask.Multiclass
            ? tensor(set.Labels.AsSpan(set.Start, set.Rows).ToArray().Select(l => (long)l).ToArray(), new long[] { set.Rows }).DetachFromDisposeScope()
            : Wrap(set.Labels, set.Start, set.Rows);
        Weights = set.Weights is null ? null : Wrap(set.Weights, set.Start, set.Rows);
    }

    /// <summary>The rows the tensors share memory with.</summary>
    public TrainingSet Set { get; }

    public int Rows { get; }

    public int Dimension => Set.Dimension;

    public Tensor Features { get; }

    public Tensor Labels { get; }

    public Tensor? Weights { get; }

    /// <summary>
    /// A tensor over part of the array's own memory, starting at element <paramref name="offset"/> (frombuffer pins the
    /// array until the tensor's storage is freed): no copy of the training data (torch.tensor(float[]) copies, 0.5 s
    /// for 48,000 × 784 rows).
    /// </summary>
    private static Tensor Wrap(float[] values, long offset, params long[] shape)
    {
        using var flat = frombuffer(values, ScalarType.Float32, shape.Aggregate(1L, (a, b) => a * b), offset, requires_grad: false);
        return flat.view(shape).DetachFromDisposeScope();
    }

    public void Dispose()
    {
        Features.Dispose();
        Labels.Dispose();
        Weights?.Dispose();
    }
}
