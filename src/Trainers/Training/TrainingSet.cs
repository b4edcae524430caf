using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Training;

/// <summary>
/// Rows of an IDataView read once into contiguous arrays: features row-major (rows × dimension), labels as
/// 0/1 (binary), class index (multiclass) or value (regression), optional example weights. A set may be a slice:
/// rows [<see cref="Start"/>, Start + <see cref="Rows"/>) of arrays it shares with the set it was cut from.
/// </summary>
internal sealed class TrainingSet
{
    private TrainingSet(float[] features, float[] labels, float[]? weights, int start, int rows, int dimension, SparseRows? sparse = null)
    {
        Features = features;
        Sparse = sparse;
        Labels = labels;
        Weights = weights;
        Start = start;
        Rows = rows;
        Dimension = dimension;
    }

    /// <summary>The rows × dimension features, row-major; empty when the rows are <see cref="Sparse"/>.</summary>
    public float[] Features { get; }

    /// <summary>The features as compressed sparse rows (indexed like <see cref="Labels"/>), or null when they are dense.</summary>
    public SparseRows? Sparse { get; }

    /// <summary>The set's first row in the shared arrays.</summary>
    public int Start { get; }

    /// <summary>Binary: 0 or 1; multiclass: 0-based class index; regression: the target.</summary>
    public float[] Labels { get; }

    public float[]? Weights { get; }

    public int Rows { get; }

    public int Dimension { get; }

    /// <summary>Rows read between two looks at the cancellation token (a row is a few microseconds; a slow view's row may be much more).</summary>
    internal const int CancellationCheckInterval = 256;

    /// <summary>
    /// Reads and validates every row; throws <see cref="ArgumentException"/> naming the column, the count and the
    /// first bad row (each message starts with "<paramref name="source"/>: " when the rows are not the estimator's
    /// input, e.g. "ValidationData"), and <see cref="OperationCanceledException"/> within
    /// <see cref="CancellationCheckInterval"/> rows of <paramref name="cancellation"/> being cancelled. The features
    /// are stored as <paramref name="layout"/> says (see <see cref="FeatureLayout"/>; Auto decides on the first row
    /// and the final density). Throws <see cref="DataTooLargeException"/> once the rows read would take more than
    /// <paramref name="maxBytes"/> (<see cref="StreamingRule.InMemoryBytes"/> for dense rows,
    /// <see cref="StreamingRule.SparseBytes"/> for sparse ones).
    /// </summary>
    public static TrainingSet Read(IDataView data, NetworkTask task, string featureColumn, string labelColumn, string? weightColumn,
        string? source, CancellationToken cancellation, FeatureLayout layout = FeatureLayout.Auto, long maxBytes = long.MaxValue)
    {
        cancellation.ThrowIfCancellationRequested();
        string what = source is null ? "training" : "validation";
        string prefix = source is null ? "" : source + ": ";
        var schema = data.Schema;
        int dimension = ColumnChecks.Check(schema, task, featureColumn, labelColumn, weightColumn, source: source);
        var fcol = schema[featureColumn];
        var lcol = schema[labelColumn];
        var wcol = weightColumn is null ? (DataViewSchema.Column?)null : schema[weightColumn];
        var columns = wcol is null ? new[] { fcol, lcol } : new[] { fcol, lcol, wcol.Value };

        // a known row count (cached or in-memory views) sizes every array exactly; an unknown one fills native chunks
        // copied once at the end (RowBuffer): either way the rows are held once, plus at most one chunk while copying
        long? knownRows = data.GetRowCount();
        int capacity = knownRows is long n && n > 0 && n * dimension <= Array.MaxLength ? (int)n : 1024;
        RowBuffer? features = null; // one of the two, chosen at the first row
        SparseRows.Builder? sparse = null;
        using var labels = new RowBuffer(1, knownRows);
        using var weights = wcol is null ? null : new RowBuffer(1, knownRows);
        try
        {
            long row = Fill(data, columns, task, featureColumn, labelColumn, weightColumn, prefix, dimension, layout, maxBytes, capacity, knownRows,
                ref features, ref sparse, labels, weights, new BadValues(what, prefix), cancellation);
            if (row == 0)
                throw new ArgumentException($"{prefix}The {what} data has no rows.");
            if (row > int.MaxValue || (sparse is null && row * dimension > Array.MaxLength))
                throw new ArgumentException($"{prefix}The {what} data has {row} rows of {dimension} values; at most {Array.MaxLength} values fit in memory at once.");
            if (sparse is not null)
            {
                var rows = sparse.Build();
                // Auto: rows that turned out dense train faster as a dense matrix (when they fit in one array)
                if (layout == FeatureLayout.Auto && rows.Density > SparseRows.AutoDensity && rows.ToDense() is { } dense)
                    return new TrainingSet(dense, labels.ToArray(), weights?.ToArray(), 0, (int)row, dimension);
                return new TrainingSet(Array.Empty<float>(), labels.ToArray(), weights?.ToArray(), 0, (int)row, dimension, rows);
            }
            return new TrainingSet(features!.ToArray(), labels.ToArray(), weights?.ToArray(), 0, (int)row, dimension);
        }
        finally
        {
            features?.Dispose();
        }
    }

    /// <summary>The reading loop of <see cref="Read"/>: every row into the buffers, checked; returns the row count.</summary>
    private static long Fill(IDataView data, DataViewSchema.Column[] columns, NetworkTask task, string featureColumn, string labelColumn, string? weightColumn,
        string prefix, int dimension, FeatureLayout layout, long maxBytes, int capacity, long? knownRows,
        ref RowBuffer? features, ref SparseRows.Builder? sparse, RowBuffer labels, RowBuffer? weights, BadValues bad, CancellationToken cancellation)
    {
        var fcol = columns[0];
        long row = 0;
        using (var cursor = data.GetRowCursor(columns))
        {
            var featureGetter = cursor.GetGetter<VBuffer<float>>(fcol);
            var labelGetter = LabelGetter(cursor, columns[1], task);
            var weightGetter = weights is null ? null : cursor.GetGetter<float>(columns[2]);
            VBuffer<float> vector = default;
            while (cursor.MoveNext())
            {
                if (row % CancellationCheckInterval == 0)
                    cancellation.ThrowIfCancellationRequested();
                featureGetter(ref vector);
                if (vector.Length != dimension)
                    throw new ArgumentException($"{prefix}Column '{featureColumn}' row {row} has {vector.Length} values; the schema says {dimension}.");
                if (features is null && sparse is null)
                {
                    if (layout == FeatureLayout.Sparse || (layout == FeatureLayout.Auto && !vector.IsDense))
                        sparse = new SparseRows.Builder(dimension, capacity);
                    else
                        features = new RowBuffer(dimension, knownRows);
                }
                if (maxBytes != long.MaxValue && (sparse is null
                        ? StreamingRule.InMemoryBytes(row + 1, dimension) > maxBytes || (row + 1) * dimension > Array.MaxLength
                        : StreamingRule.SparseBytes(row + 1, sparse.NonZeros + vector.GetValues().Length) > maxBytes
                          || sparse.NonZeros + vector.GetValues().Length > Array.MaxLength))
                    throw new DataTooLargeException(row + 1, dimension);
                if (sparse is not null)
                {
                    int slot = sparse.Add(vector, out float value);
                    if (slot >= 0)
                        bad.Feature(featureColumn, row, slot, value);
                }
                else
                {
                    var span = features!.AppendRow();
                    vector.CopyTo(span);
                    for (int i = 0; i < span.Length; i++)
                    {
                        if (!float.IsFinite(span[i]))
                        {
                            bad.Feature(featureColumn, row, i, span[i]);
                            break;
                        }
                    }
                }

                float label = labelGetter();
                if (!float.IsFinite(label))
                    bad.Label(labelColumn, row, task, label);
                labels.AppendRow()[0] = label;

                if (weightGetter is not null)
                {
                    float w = 0;
                    weightGetter(ref w);
                    if (!float.IsFinite(w) || w < 0)
                        bad.Weight(weightColumn!, row, w);
                    weights!.AppendRow()[0] = w;
                }
                row++;
            }
        }
        bad.ThrowIfAny();
        return row;
    }

    /// <summary>Rows [start, start + count) of this set, sharing its arrays (the validation split copies nothing).</summary>
    public TrainingSet Slice(int start, int count) => new(Features, Labels, Weights, Start + start, count, Dimension, Sparse);

    /// <summary>The same rows with every row's weight multiplied by its class's weight (classes are 0-based label indices).</summary>
    public TrainingSet WithClassWeights(double[] classWeights)
    {
        var weights = new float[Labels.Length];
        for (int i = Start; i < Start + Rows; i++)
            weights[i] = (float)(classWeights[(int)Labels[i]] * (Weights?[i] ?? 1f));
        return new TrainingSet(Features, Labels, weights, Start, Rows, Dimension, Sparse);
    }

    /// <summary>The label as a float: 0/1 (binary), the 0-based class index or NaN for a missing key (multiclass), the value (regression).</summary>
    internal static Func<float> LabelGetter(DataViewRowCursor cursor, DataViewSchema.Column column, NetworkTask task)
    {
        switch (task)
        {
            case NetworkTask.Binary:
            {
                var g = cursor.GetGetter<bool>(column);
                return () => { bool b = false; g(ref b); return b ? 1f : 0f; };
            }
            case NetworkTask.Multiclass:
            {
                var g = cursor.GetGetter<uint>(column);
                // key 0 means "missing" (a value the key mapping did not know): reported as NaN, then as an error
                return () => { uint k = 0; g(ref k); return k == 0 ? float.NaN : k - 1; };
            }
            default:
            {
                var g = cursor.GetGetter<float>(column);
                return () => { float f = 0; g(ref f); return f; };
            }
        }
    }
}
