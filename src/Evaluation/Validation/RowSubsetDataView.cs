using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep;

/// <summary>
/// A lazy view of the rows of a source data view whose positions are marked in a mask. It relies on the source's
/// unshuffled cursors returning rows in a stable order (true for every ML.NET loader and in-memory view), and
/// throws if the source's row count differs from the mask's length.
/// </summary>
internal sealed class RowSubsetDataView : IDataView
{
    private readonly IDataView _source;
    private readonly bool[] _keep;
    private readonly int _count;

    public RowSubsetDataView(IDataView source, bool[] keep)
    {
        _source = source;
        _keep = keep;
        _count = keep.Count(k => k);
    }

    /// <summary>Creates the view of the rows whose <paramref name="assignment"/> equals (or differs from) <paramref name="value"/>.</summary>
    public static RowSubsetDataView Select(IDataView source, int[] assignment, int value, bool equal)
        => new(source, assignment.Select(a => (a == value) == equal).ToArray());

    public bool CanShuffle => false;

    public DataViewSchema Schema => _source.Schema;

    public long? GetRowCount() => _count;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        => new Cursor(_source.GetRowCursor(columnsNeeded), _keep);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly DataViewRowCursor _input;
        private readonly bool[] _keep;
        private long _sourcePosition = -1;
        private long _position = -1;

        public Cursor(DataViewRowCursor input, bool[] keep)
        {
            _input = input;
            _keep = keep;
        }

        public override DataViewSchema Schema => _input.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            while (_input.MoveNext())
            {
                _sourcePosition++;
                if (_sourcePosition >= _keep.Length)
                    throw RowCountChanged();
                if (_keep[_sourcePosition])
                {
                    _position++;
                    return true;
                }
            }
            if (_sourcePosition + 1 != _keep.Length)
                throw RowCountChanged();
            return false;
        }

        private InvalidOperationException RowCountChanged()
            => new($"The source data view returned a different number of rows than the {_keep.Length} it had when the split was planned; splits need a data view whose rows are stable between passes.");

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _input.GetGetter<TValue>(column);

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
