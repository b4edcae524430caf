using Microsoft.ML.Data;

namespace MlNetDeep.Training;

/// <summary>
/// Feature rows in compressed sparse row form: row r's non-zero values are <see cref="Values"/>[RowStarts[r] ..
/// RowStarts[r + 1]), at the columns <see cref="Columns"/> holds for the same positions (ascending within a row).
/// A <see cref="TrainingSet"/> slice shares these arrays and addresses its rows by absolute index.
/// </summary>
internal sealed class SparseRows
{
    /// <summary>Auto keeps rows sparse when at most this share of all values is non-zero.</summary>
    public const double AutoDensity = 0.1;

    public SparseRows(int[] rowStarts, int[] columns, float[] values, int dimension)
    {
        RowStarts = rowStarts;
        Columns = columns;
        Values = values;
        Dimension = dimension;
    }

    /// <summary>Rows + 1 offsets into <see cref="Columns"/> and <see cref="Values"/>; the last is the non-zero count.</summary>
    public int[] RowStarts { get; }

    public int[] Columns { get; }

    public float[] Values { get; }

    public int Dimension { get; }

    public int Rows => RowStarts.Length - 1;

    public long NonZeros => RowStarts[^1];

    /// <summary>The share of non-zero values among rows × width.</summary>
    public double Density => Rows == 0 ? 0 : (double)NonZeros / ((double)Rows * Dimension);

    /// <summary>The rows written out in full, row-major (null when rows × width exceeds the largest array).</summary>
    public float[]? ToDense()
    {
        long size = (long)Rows * Dimension;
        if (size > Array.MaxLength)
            return null;
        var dense = new float[size];
        for (int r = 0; r < Rows; r++)
        {
            long offset = (long)r * Dimension;
            for (int k = RowStarts[r]; k < RowStarts[r + 1]; k++)
                dense[offset + Columns[k]] = Values[k];
        }
        return dense;
    }

    /// <summary>Collects rows from VBuffers, dense or sparse, keeping only their non-zero values.</summary>
    internal sealed class Builder
    {
        private readonly int _dimension;
        private readonly List<int> _rowStarts;
        private int[] _columns;
        private float[] _values;
        private int _count;
        private float _badValue;

        public Builder(int dimension, int expectedRows)
        {
            _dimension = dimension;
            _rowStarts = new List<int>(Math.Max(expectedRows, 16) + 1) { 0 };
            _columns = new int[1024];
            _values = new float[1024];
        }

        /// <summary>
        /// Appends a row; returns the slot (column) of its first NaN or infinite value and sets <paramref name="badValue"/>
        /// to it, or returns −1. A bad value is stored like any other (the read fails at the end, reporting every bad row
        /// at once).
        /// </summary>
        /// <exception cref="ArgumentException">The rows hold more than <see cref="Array.MaxLength"/> non-zero values.</exception>
        public int Add(in VBuffer<float> row, out float badValue)
        {
            var values = row.GetValues();
            int bad = -1;
            Reserve(values.Length);
            if (row.IsDense)
            {
                for (int i = 0; i < values.Length; i++)
                    bad = Store(i, values[i], bad);
            }
            else
            {
                var indices = row.GetIndices();
                for (int k = 0; k < values.Length; k++)
                    bad = Store(indices[k], values[k], bad);
            }
            _rowStarts.Add(_count);
            badValue = bad < 0 ? 0f : _badValue;
            return bad;
        }

        /// <summary>The non-zero values stored so far.</summary>
        public long NonZeros => _count;

        public SparseRows Build() => new(_rowStarts.ToArray(), _columns.AsSpan(0, _count).ToArray(), _values.AsSpan(0, _count).ToArray(), _dimension);

        private int Store(int column, float value, int bad)
        {
            if (value == 0f)
                return bad;
            _columns[_count] = column;
            _values[_count++] = value;
            if (bad >= 0 || float.IsFinite(value))
                return bad;
            _badValue = value;
            return column;
        }

        private void Reserve(int more)
        {
            long needed = (long)_count + more;
            if (needed <= _values.Length)
                return;
            if (needed > Array.MaxLength)
                throw new ArgumentException($"The data holds more than {Array.MaxLength} non-zero feature values; they do not fit in one training array.");
            int grown = (int)Math.Min(Math.Max(needed, (long)_values.Length * 2), Array.MaxLength);
            Array.Resize(ref _columns, grown);
            Array.Resize(ref _values, grown);
        }
    }
}
