using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep;

/// <summary>
/// A view of a source whose vector column has one slot replaced row by row (the slot's values permuted across rows);
/// every other column and slot passes through. Rows are read in the source's order, so the source must return
/// them in a stable order (a cached view does).
/// </summary>
internal sealed class SlotPermutedDataView : IDataView
{
    private readonly IDataView _source;
    private readonly DataViewSchema.Column _column;
    private readonly int _slot;
    private readonly float[] _values;

    /// <param name="source">The rows.</param>
    /// <param name="column">A known-size vector of Single in <paramref name="source"/>.</param>
    /// <param name="slot">The slot to replace.</param>
    /// <param name="values">The slot's value in each row, one per row of <paramref name="source"/>.</param>
    public SlotPermutedDataView(IDataView source, DataViewSchema.Column column, int slot, float[] values)
    {
        _source = source;
        _column = column;
        _slot = slot;
        _values = values;
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema => _source.Schema;

    public long? GetRowCount() => _source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        => new Cursor(this, _source.GetRowCursor(columnsNeeded));

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly SlotPermutedDataView _view;
        private readonly DataViewRowCursor _input;

        public Cursor(SlotPermutedDataView view, DataViewRowCursor input)
        {
            _view = view;
            _input = input;
        }

        public override DataViewSchema Schema => _input.Schema;

        public override long Position => _input.Position;

        public override long Batch => _input.Batch;

        public override bool MoveNext() => _input.MoveNext();

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index != _view._column.Index)
                return _input.GetGetter<TValue>(column);
            var inner = _input.GetGetter<VBuffer<float>>(column);
            VBuffer<float> original = default;
            ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) =>
            {
                inner(ref original);
                long row = _input.Position;
                if (row >= _view._values.Length)
                    throw new InvalidOperationException(
                        $"The data returned more rows than the {_view._values.Length} it had when the permutation was drawn; permutation feature importance needs rows that are stable between passes.");
                original.CopyToDense(ref value);
                var editor = VBufferEditor.CreateFromBuffer(ref value);
                editor.Values[_view._slot] = _view._values[row];
                value = editor.Commit();
            };
            return (ValueGetter<TValue>)(Delegate)getter;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _input.IsColumnActive(column);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _input.Dispose();
            base.Dispose(disposing);
        }
    }
}
