using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Heads;
using MlNetDeep.Training;

namespace MlNetDeep.Network;

/// <summary>
/// The sequential cursor of <see cref="BlockScoringView"/>: reads ahead a block of rows from the chain's cursor
/// (scoring columns inactive), buffers each active column's value per row, scores the block's dense feature rows
/// through <see cref="SharedBlockForward"/> (rows grouped by their zeros, the block shared with a helper thread when
/// <see cref="BlockScoringView.ShareBlocks"/>; rows stored sparse with few non-zeros go through the one-row sparse
/// path: same bits, fewer operations), then serves the rows one by one. Position counts the rows
/// served; each row's Batch and id are those the chain's cursor gave it.
/// </summary>
internal sealed class BlockCursor : DataViewRowCursor
{
    /// <summary>Rows read ahead at most; fewer when rows are wide, so a block's dense features stay near 4 MB.</summary>
    public const int MaxRows = 256;

    private readonly BlockScoringView _view;
    private readonly DataViewRowCursor _input;
    private readonly bool[] _active;
    private readonly Dictionary<int, IColumnBuffer> _buffers = new();
    private readonly ValueGetter<VBuffer<float>> _features;
    private readonly ValueGetter<DataViewRowId> _ids;
    private readonly ScoringNetwork _network;
    private readonly SharedBlockForward _forward;
    private readonly int _capacity;
    private readonly DataViewRowId[] _rowIds;
    private readonly long[] _batches;
    private readonly VBuffer<float>[] _rows;
    private readonly int[] _denseRows;
    private readonly float[] _dense;
    private readonly float[] _denseOutputs;
    private readonly float[] _outputs; // per row: the task's outputs (logits or probabilities)
    private readonly int[] _best;
    private int _count;
    private int _index = -1;
    private long _position = -1;
    private bool _done;

    public BlockCursor(BlockScoringView view, IDataView scored, DataViewSchema.Column[] needed)
    {
        _view = view;
        _network = view.Network;
        _forward = new SharedBlockForward(_network, view.ShareBlocks);
        var schema = scored.Schema;
        _active = new bool[schema.Count];
        foreach (var c in needed)
            _active[c.Index] = true;
        var upstream = needed.Where(c => !view.HeadColumns.Contains(c.Index)).Append(schema[view.FeatureColumn]).DistinctBy(c => c.Index).ToArray();
        _input = scored.GetRowCursor(upstream);
        _capacity = Math.Clamp((1 << 20) / Math.Max(1, _network.InputSize) / 4 * 4, 4, MaxRows);
        foreach (var c in upstream)
        {
            if (_active[c.Index] && c.Index != view.FeatureColumn)
            {
                var type = c.Type is VectorDataViewType vector
                    ? typeof(VectorBuffer<>).MakeGenericType(vector.ItemType.RawType)
                    : typeof(ColumnBuffer<>).MakeGenericType(c.Type.RawType);
                _buffers[c.Index] = (IColumnBuffer)Activator.CreateInstance(type, _input, c, _capacity)!;
            }
        }
        _features = _input.GetGetter<VBuffer<float>>(schema[view.FeatureColumn]);
        _ids = _input.GetIdGetter();
        _rowIds = new DataViewRowId[_capacity];
        _batches = new long[_capacity];
        _rows = new VBuffer<float>[_capacity];
        _denseRows = new int[_capacity];
        _dense = new float[_capacity * _network.InputSize];
        _denseOutputs = new float[_capacity * _network.OutputSize];
        _outputs = new float[_capacity * _network.OutputSize];
        _best = new int[_capacity];
    }

    public override DataViewSchema Schema => _view.Schema;

    public override long Position => _position;

    public override long Batch => _index >= 0 ? _batches[_index] : 0;

    public override bool IsColumnActive(DataViewSchema.Column column) => column.Index < _active.Length && _active[column.Index];

    public override bool MoveNext()
    {
        if (_done)
            return false;
        if (_index + 1 >= _count && !ReadBlock())
        {
            _done = true;
            _index = -1;
            return false;
        }
        _index++;
        _position++;
        return true;
    }

    private bool ReadBlock()
    {
        _count = 0;
        _index = -1;
        int dense = 0;
        int inputs = _network.InputSize;
        while (_count < _capacity && _input.MoveNext())
        {
            foreach (var buffer in _buffers.Values)
                buffer.Fill(_count);
            _ids(ref _rowIds[_count]);
            _batches[_count] = _input.Batch;
            _features(ref _rows[_count]);
            var row = _rows[_count];
            if (row.Length != inputs)
                throw new ArgumentException($"The feature vector has {row.Length} values; the network was trained on {inputs}.");
            if (row.IsDense || row.GetValues().Length > inputs / 4)
            {
                row.CopyTo(_dense.AsSpan(dense * inputs, inputs));
                _denseRows[dense++] = _count;
            }
            _count++;
        }
        if (_count == 0)
            return false;

        int outputs = _network.OutputSize;
        _forward.Forward(_dense, dense, _denseOutputs);
        for (int d = 0; d < dense; d++)
            _denseOutputs.AsSpan(d * outputs, outputs).CopyTo(_outputs.AsSpan(_denseRows[d] * outputs, outputs));
        for (int r = 0, d = 0; r < _count; r++)
        {
            if (d < dense && _denseRows[d] == r)
                d++;
            else
                _network.Forward(_rows[r], _outputs.AsSpan(r * outputs, outputs));
            if (_network.Task == NetworkTask.Multiclass)
                _best[r] = DenseNetworkHeads.Softmax(_outputs.AsSpan(r * outputs, outputs));
        }
        return true;
    }

    public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId value) =>
    {
        CheckRow();
        value = _rowIds[_index];
    };

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (!IsColumnActive(column))
            throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was created; pass it in columnsNeeded.");
        Delegate getter;
        int head = Array.IndexOf(_view.HeadColumns, column.Index);
        if (head >= 0)
            getter = HeadGetter(head);
        else if (column.Index == _view.FeatureColumn)
            getter = (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => { CheckRow(); _rows[_index].CopyTo(ref value); });
        else
            getter = _buffers[column.Index].Getter(CheckRow, () => _index);
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}; a getter of {typeof(TValue).Name} was requested.");
    }

    private Delegate HeadGetter(int head)
    {
        int outputs = _network.OutputSize;
        return (_network.Task, head) switch
        {
            (NetworkTask.Multiclass, 0) => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                CheckRow();
                var editor = VBufferEditor.Create(ref value, outputs);
                _outputs.AsSpan(_index * outputs, outputs).CopyTo(editor.Values);
                value = editor.Commit();
            }),
            (NetworkTask.Multiclass, _) => (ValueGetter<uint>)((ref uint value) => { CheckRow(); value = (uint)_best[_index] + 1; }),
            (NetworkTask.Binary, 1) => (ValueGetter<float>)((ref float value) => { CheckRow(); value = ScoringNetwork.Sigmoid(_outputs[_index]); }),
            (NetworkTask.Binary, 2) => (ValueGetter<bool>)((ref bool value) => { CheckRow(); value = _outputs[_index] > 0f; }),
            _ => (ValueGetter<float>)((ref float value) => { CheckRow(); value = _outputs[_index]; }),
        };
    }

    private void CheckRow()
    {
        if (_index < 0)
            throw new InvalidOperationException("The cursor is not on a row: call MoveNext first, and read values only while it returns true.");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _input.Dispose();
        base.Dispose(disposing);
    }

    private interface IColumnBuffer
    {
        void Fill(int slot);

        Delegate Getter(Action checkRow, Func<int> index);
    }

    /// <summary>One scalar column's values (numbers, keys, text: values a caller cannot change) for the rows of a block.</summary>
    private sealed class ColumnBuffer<T> : IColumnBuffer
    {
        private readonly ValueGetter<T> _getter;
        private readonly T[] _values;

        public ColumnBuffer(DataViewRowCursor cursor, DataViewSchema.Column column, int capacity)
        {
            _getter = cursor.GetGetter<T>(column);
            _values = new T[capacity];
        }

        public void Fill(int slot) => _getter(ref _values[slot]);

        public Delegate Getter(Action checkRow, Func<int> index) => (ValueGetter<T>)((ref T value) =>
        {
            checkRow();
            value = _values[index()];
        });
    }

    /// <summary>One vector column's values for the rows of a block, copied out so a caller never holds (or writes into) the buffer's arrays.</summary>
    private sealed class VectorBuffer<T> : IColumnBuffer
    {
        private readonly ValueGetter<VBuffer<T>> _getter;
        private readonly VBuffer<T>[] _values;

        public VectorBuffer(DataViewRowCursor cursor, DataViewSchema.Column column, int capacity)
        {
            _getter = cursor.GetGetter<VBuffer<T>>(column);
            _values = new VBuffer<T>[capacity];
        }

        public void Fill(int slot) => _getter(ref _values[slot]);

        public Delegate Getter(Action checkRow, Func<int> index) => (ValueGetter<VBuffer<T>>)((ref VBuffer<T> value) =>
        {
            checkRow();
            _values[index()].CopyTo(ref value);
        });
    }
}
