using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>A <see cref="TrainingSet"/> as libtorch tensors (features and float labels share the arrays' memory; class indices are int64).</summary>
internal sealed class TensorSet : IDisposable
{
    public TensorSet(TrainingSet set, NetworkTask task)
    {
        Rows = set.Rows;
        Features = Copy(set.Features, set.Rows, set.Dimension);
        Labels = task == NetworkTask.Multiclass
            ? tensor(set.Labels.Select(l => (long)l).ToArray(), new long[] { set.Rows }).DetachFromDisposeScope()
            : Copy(set.Labels, set.Rows);
        Weights = set.Weights is null ? null : Copy(set.Weights, set.Rows);
    }

    public int Rows { get; }

    public Tensor Features { get; }

    public Tensor Labels { get; }

    public Tensor? Weights { get; }

    /// <summary>
    /// A tensor over the array's own memory (frombuffer pins it until the tensor's storage is freed): no copy of the
    /// training data (torch.tensor(float[]) copies, 0.5 s for 48,000 × 784 rows).
    /// </summary>
    private static Tensor Copy(float[] values, params long[] shape)
    {
        using var flat = frombuffer(values, ScalarType.Float32, values.Length, 0, requires_grad: false);
        return flat.view(shape).DetachFromDisposeScope();
    }

    public void Dispose()
    {
        Features.Dispose();
        Labels.Dispose();
        Weights?.Dispose();
    }
}
