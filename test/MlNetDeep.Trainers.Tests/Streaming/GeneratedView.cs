using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Training;

namespace MlNetDeep.Trainers.Tests.Streaming;

/// <summary>
/// An IDataView whose rows are computed from their index on every read, never stored: Features (a vector of
/// <c>dimension</c> values in [-1, 1)), Label (Boolean, a key of <c>classes</c> values, or Single) and Weight.
/// It counts the cursors opened, may hide its row count, and may throw on a chosen read to play a failing source.
/// </summary>
internal sealed class GeneratedView : IDataView
{
    private readonly long _rows;
    private readonly int _dimension;
    private readonly NetworkTask _task;
    private readonly int _classes;
    private readonly bool _knownCount;
    private int _cursors;

    public GeneratedView(long rows, int dimension, NetworkTask task, int classes = 3, bool knownCount = true)
    {
        _rows = rows;
        _dimension = dimension;
        _task = task;
        _classes = classes;
        _knownCount = knownCount;
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("Features", new VectorDataViewType(NumberDataViewType.Single, dimension));
        builder.AddColumn("Label", task switch
        {
            NetworkTask.Binary => BooleanDataViewType.Instance,
            NetworkTask.Multiclass => new KeyDataViewType(typeof(uint), classes),
            _ => NumberDataViewType.Single,
        });
        builder.AddColumn("Weight", NumberDataViewType.Single);
        Schema = builder.ToSchema();
    }

    /// <summary>Called with (cursor number from 1, row) before each row is read; throw from it to fail the read.</summary>
    public Action<int, long>? OnRow { get; init; }

    /// <summary>Replaces a row's first feature (cursor number, row, value) to play a view that changes between passes.</summary>
    public Func<int, long, float, float>? EditFeature { get; init; }

    /// <summary>The number of cursors opened so far.</summary>
    public int Cursors => Volatile.Read(ref _cursors);

    public DataViewSchema Schema { get; }

    public bool CanShuffle => false;

    public long? GetRowCount() => _knownCount ? _rows : null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, Interlocked.Increment(ref _cursors), columnsNeeded.Select(c => c.Index).ToHashSet());

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    /// <summary>A value in [-1, 1) from the row and slot (SplitMix64).</summary>
    public static float Value(long row, int slot)
    {
        ulong z = (ulong)row * 0x9E3779B97F4A7C15UL + (ulong)slot * 0xBF58476D1CE4E5B9UL + 0x94D049BB133111EBUL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (float)((z >> 40) / (double)(1UL << 24) * 2 - 1);
    }

    /// <summary>A learnable label: the sign (binary), the bucket (multiclass) or the value (regression) of a fixed linear score plus noise.</summary>
    private float Score(long row)
    {
        double s = 0;
        for (int j = 0; j < _dimension; j++)
            s += Value(row, j) * ((j % 3) - 1 + 0.5);
        return (float)(s / Math.Sqrt(_dimension) + 0.3 * Value(row, -1));
    }

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly GeneratedView _view;
        private readonly int _number;
        private readonly HashSet<int> _active;
        private long _position = -1;

        public Cursor(GeneratedView view, int number, HashSet<int> active)
        {
            _view = view;
            _number = number;
            _active = active;
        }

        public override DataViewSchema Schema => _view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        public override bool MoveNext()
        {
            if (_position + 1 >= _view._rows)
                return false;
            _position++;
            _view.OnRow?.Invoke(_number, _position);
            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            Delegate getter = column.Name switch
            {
                "Features" => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
                {
                    var editor = VBufferEditor.Create(ref value, _view._dimension);
                    for (int j = 0; j < _view._dimension; j++)
                        editor.Values[j] = Value(_position, j);
                    if (_view.EditFeature is { } edit)
                        editor.Values[0] = edit(_number, _position, editor.Values[0]);
                    value = editor.Commit();
                }),
                "Label" when _view._task == NetworkTask.Binary => (ValueGetter<bool>)((ref bool value) => value = _view.Score(_position) > 0),
                "Label" when _view._task == NetworkTask.Multiclass => (ValueGetter<uint>)((ref uint value) =>
                    value = (uint)Math.Clamp((int)Math.Floor((_view.Score(_position) + 1.5) / 3 * _view._classes), 0, _view._classes - 1) + 1),
                "Label" => (ValueGetter<float>)((ref float value) => value = _view.Score(_position)),
                _ => (ValueGetter<float>)((ref float value) => value = 0.5f + (Value(_position, -2) + 1) / 2),
            };
            return (ValueGetter<TValue>)getter;
        }
    }
}
