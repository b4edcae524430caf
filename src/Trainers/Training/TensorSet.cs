using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>
/// A <see cref="TrainingSet"/> as libtorch tensors (dense features and float labels share the arrays' memory; class
/// indices are int64). Sparse rows stay in their managed arrays; <see cref="Gather"/> and <see cref="Range"/> copy out one
/// batch's non-zeros at a time.
/// </summary>
internal sealed partial class TensorSet : IDisposable
{
    public TensorSet(TrainingSet set, NetworkTask task)
    {
        Set = set;
        Rows = set.Rows;
        Sparse = set.Sparse;
        _start = set.Start;
        _features = set.Sparse is null ? Wrap(set.Features, (long)set.Start * set.Dimension, set.Rows, set.Dimension) : null;
        Labels = task == NetworkTask.Multiclass
            ? tensor(set.Labels.AsSpan(set.Start, set.Rows).ToArray().Select(l => (long)l).ToArray(), new long[] { set.Rows }).DetachFromDisposeScope()
            : Wrap(set.Labels, set.Start, set.Rows);
        Weights = set.Weights is null ? null : Wrap(set.Weights, set.Start, set.Rows);
    }

    private readonly Tensor? _features;
    private readonly int _start;

    /// <summary>The rows the tensors share memory with.</summary>
    public TrainingSet Set { get; }

    public int Rows { get; }

    public int Dimension => Set.Dimension;

    /// <summary>The sparse rows (shared with the <see cref="TrainingSet"/>), or null when the features are dense.</summary>
    public SparseRows? Sparse { get; }

    /// <summary>The features of the rows at <paramref name="index"/> (positions in this set, int64), in that order.</summary>
    public FeatureBatch Gather(Tensor index)
    {
        if (Sparse is null)
            return FeatureBatch.FromDense(_features!.index_select(0, index));
        var positions = index.data<long>().ToArray();
        for (int i = 0; i < positions.Length; i++)
            positions[i] += _start;
        return FeatureBatch.FromSparse(Sparse, positions);
    }

    /// <summary>The features of rows [<paramref name="start"/>, start + <paramref name="count"/>) of this set.</summary>
    public FeatureBatch Range(int start, int count)
    {
        if (Sparse is null)
            return FeatureBatch.FromDense(_features!.narrow(0, start, count));
        var positions = new long[count];
        for (int i = 0; i < count; i++)
            positions[i] = _start + start + i;
        return FeatureBatch.FromSparse(Sparse, positions);
    }

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
        _features?.Dispose();
        Labels.Dispose();
        Weights?.Dispose();
    }
}
