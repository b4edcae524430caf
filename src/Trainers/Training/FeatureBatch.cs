using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>
/// The features of one mini-batch or evaluation chunk: a dense [rows, width] matrix, or the batch's non-zeros as
/// three equally long vectors (the batch row of each, its column, its value) that the first layer multiplies
/// without ever forming rows × width. Its tensors belong to the dispose scope it was made in.
/// </summary>
internal sealed class FeatureBatch
{
    private FeatureBatch(long count, long width, Tensor? dense, Tensor? rows, Tensor? columns, Tensor? values)
    {
        Count = count;
        Width = width;
        Dense = dense;
        Rows = rows;
        Columns = columns;
        Values = values;
    }

    /// <summary>Rows in the batch.</summary>
    public long Count { get; }

    /// <summary>The feature vector's width (the first layer's inputs).</summary>
    public long Width { get; }

    /// <summary>The [Count, Width] features, or null when the batch is sparse.</summary>
    public Tensor? Dense { get; }

    /// <summary>The batch row (0 … Count − 1) of each non-zero (int64); null when dense.</summary>
    public Tensor? Rows { get; }

    /// <summary>The column of each non-zero (int64); null when dense.</summary>
    public Tensor? Columns { get; }

    /// <summary>Each non-zero value (float32); null when dense.</summary>
    public Tensor? Values { get; }

    public static FeatureBatch FromDense(Tensor features) => new(features.shape[0], features.shape[1], features, null, null, null);

    /// <summary>
    /// The rows <paramref name="positions"/> (absolute row numbers of <paramref name="source"/>) as a sparse batch: one
    /// O(non-zeros) copy in managed memory, then three tensors.
    /// </summary>
    public static FeatureBatch FromSparse(SparseRows source, ReadOnlySpan<long> positions)
    {
        var starts = source.RowStarts;
        long nonZeros = 0;
        foreach (long p in positions)
            nonZeros += starts[p + 1] - starts[p];
        var rows = new long[nonZeros];
        var columns = new long[nonZeros];
        var values = new float[nonZeros];
        long k = 0;
        for (int r = 0; r < positions.Length; r++)
        {
            long p = positions[r];
            int from = starts[p], length = starts[p + 1] - from;
            rows.AsSpan((int)k, length).Fill(r);
            for (int i = 0; i < length; i++)
                columns[k + i] = source.Columns[from + i];
            source.Values.AsSpan(from, length).CopyTo(values.AsSpan((int)k, length));
            k += length;
        }
        return new FeatureBatch(positions.Length, source.Dimension, null, tensor(rows), tensor(columns), tensor(values));
    }
}
