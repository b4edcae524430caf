using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.LabelShuffling;

/// <summary>
/// The source view with one scalar column replaced, row by row, by a fixed permutation of its values. Row i reads
/// the label of source row permutation[i]; every other column is the source's. Cursors are always sequential
/// (<see cref="CanShuffle"/> is false), because a row's label is found by its position.
/// </summary>
internal sealed class ShuffledLabelDataView<T> : IDataView
{
    private readonly IDataView _source;
    private readonly int _labelIndex;
    private readonly T[] _labels;

    public ShuffledLabelDataView(IDataView source, int labelIndex, T[] labels)
    {
        _source = source;
        _labelIndex = labelIndex;
        _labels = labels;
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema => _source.Schema;

    public long? GetRowCount() => _labels.Length;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        => new Cursor(this, _source.GetRowCursor(columnsNeeded));

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => new[] { GetRowCursor(columnsNeeded) };

    /// <summary>Reads the label column of <paramref name="source"/> and permutes it with <paramref name="seed"/>.</summary>
    public static IDataView Create(IDataView source, DataViewSchema.Column label, int seed)
    {
        var values = new List<T>();
        using (var cursor = source.GetRowCursor(new[] { label }))
        {
            var getter = cursor.GetGetter<T>(label);
            T value = default!;
            while (cursor.MoveNext())
            {
                getter(ref value);
                values.Add(value);
            }
        }
        var labels = values.ToArray();
        var random = new Random(seed);
        for (int i = labels.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (labels[i], labels[j]) = (labels[j], labels[i]);
        }
        return new ShuffledLabelDataView<T>(source, label.Index, labels);
    }

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly ShuffledLabelDataView<T> _parent;
        private readonly DataViewRowCursor _input;

        public Cursor(ShuffledLabelDataView<T> parent, DataViewRowCursor input)
        {
            _parent = parent;
            _input = input;
        }

        public override long Position => _input.Position;

        public override long Batch => _input.Batch;

        public override DataViewSchema Schema => _input.Schema;

        public override bool MoveNext()
        {
            if (!_input.MoveNext())
                return false;
            if (_input.Position >= _parent._labels.Length)
                throw new InvalidOperationException($"The data view gave more rows than the {_parent._labels.Length} it had when its labels were shuffled; ShuffleLabels needs a source that gives the same rows on every pass.");
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => _input.IsColumnActive(column);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index != _parent._labelIndex)
                return _input.GetGetter<TValue>(column);
            if (!_input.IsColumnActive(column))
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was created.");
            ValueGetter<T> getter = (ref T value) => value = _parent._labels[_input.Position];
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' holds {typeof(T).Name}; a getter of {typeof(TValue).Name} was asked for.");
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _input.Dispose();
            base.Dispose(disposing);
        }
    }
}
