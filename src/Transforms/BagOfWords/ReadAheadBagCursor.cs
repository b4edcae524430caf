using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.BagOfWords;

/// <summary>
/// A cursor of <see cref="FusedBagView"/> that computes the vectors of a block of rows on two threads: it reads the
/// block's rows from the chain's cursor (the text and every other column asked for, copied), then computes their
/// vectors from the front, one per <see cref="MoveNext"/>, while a thread-pool helper computes them from the back.
/// Each row's vector is claimed by one of the two with a compare-and-swap; when the cursor reaches the row the helper
/// is still working on, it computes that one itself instead of waiting, so a helper the machine slows down (or that
/// starts late, or never) costs the cursor nothing but the copy of the rows. When the process has not been running on
/// more than one core by the end of a <see cref="CoreProbe"/>'s window (other processes hold the cores), the cursor
/// starts no further helpers. The values are those of <see cref="DocumentVectorizer"/>, whichever thread computed them.
/// </summary>
/// <remarks>
/// Used only when every column asked for besides the vector holds values that can be kept for later rows: unmanaged
/// values (numbers, booleans, keys, row ids), text and vectors of unmanaged values (see <see cref="CanBuffer"/>).
/// </remarks>
internal sealed class ReadAheadBagCursor : DataViewRowCursor
{
    /// <summary>At most so many rows, and about so many characters of text, a block.</summary>
    private const int BlockRows = 256, BlockCharacters = 1 << 17;

    /// <summary>At most so many blocks with a helper: when the thread pool is slow to run them, no more are made.</summary>
    private const int MaxBlocks = 4;

    private readonly DataViewSchema _schema;
    private readonly DataViewRowCursor _inner;
    private readonly VocabularyIndex _index;
    private readonly int _bag;
    private readonly int _textIndex;
    private readonly HashSet<int> _active;
    private readonly ValueGetter<ReadOnlyMemory<char>> _text;
    private readonly ValueGetter<DataViewRowId> _id;
    private readonly ColumnBuffer[] _columns; // every needed column but the vector and the text
    private readonly DocumentVectorizer _vectorizer;
    private readonly List<Block> _blocks = new(); // those that get a helper: at most MaxBlocks
    private Block? _solo; // the block used without a helper when every other one's helper is still queued or running
    private Block _block;
    private int _row = -1; // the current row within the block
    private long _position = -1;
    private bool _done;
    private bool _helpers = true; // false once the probe finds the process on one core
    private readonly CoreProbe? _probe; // null: helpers whatever the machine is doing

    public ReadAheadBagCursor(DataViewSchema schema, DataViewRowCursor inner, VocabularyIndex index, int bag, DataViewSchema.Column text, DataViewSchema.Column[] needed, bool adaptive)
    {
        _probe = adaptive ? new CoreProbe() : null;
        _schema = schema;
        _inner = inner;
        _index = index;
        _bag = bag;
        _textIndex = text.Index;
        _active = needed.Select(c => c.Index).ToHashSet();
        _text = inner.GetGetter<ReadOnlyMemory<char>>(text);
        _id = inner.GetIdGetter();
        _columns = needed.Where(c => c.Index != bag && c.Index != text.Index).DistinctBy(c => c.Index).Select(c => ColumnBuffer.Create(inner, c)).ToArray();
        _vectorizer = new DocumentVectorizer(index);
        _block = new Block(index, _columns);
        _blocks.Add(_block);
    }

    /// <summary>Whether a column's values can be kept for later rows (what this cursor needs of every column but the vector).</summary>
    public static bool CanBuffer(DataViewType type) => ColumnBuffer.CanBuffer(type.RawType);

    public override long Position => _position;

    public override long Batch => _inner.Batch;

    public override DataViewSchema Schema => _schema;

    public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

    public override bool MoveNext()
    {
        if (_done)
            return false;
        if (++_row == _block.Count)
        {
            if (!Fill())
            {
                _done = true;
                return false;
            }
            _row = 0;
        }
        _position++;
        _block.Resolve(_row, _vectorizer);
        return true;
    }

    /// <summary>Reads the next block of rows and starts the helper on it; false when no row is left.</summary>
    private bool Fill()
    {
        if (_probe?.Verdict() == false)
            _helpers = false; // the process is not getting a second core: the helpers would only add their hand-offs
        // a block whose helper is still queued or finishing a row nobody needs is left to it; the solo block never gets one
        var block = _helpers ? _blocks.Find(b => !b.HelperRunning) : null;
        if (block is null && _helpers && _blocks.Count < MaxBlocks)
            _blocks.Add(block = new Block(_index, _columns));
        bool helper = block is not null;
        block ??= _solo ??= new Block(_index, _columns);
        _block = block;
        block.Reset();
        int characters = 0;
        while (block.Count < BlockRows && characters < BlockCharacters && _inner.MoveNext())
        {
            int row = block.Count;
            _text(ref block.Texts[row]);
            block.Texts[row] = Keep(block.Texts[row]);
            characters += block.Texts[row].Length;
            _id(ref block.Ids[row]);
            for (int c = 0; c < _columns.Length; c++)
                _columns[c].Read(block.Columns[c], row);
            block.Count++;
        }
        if (block.Count == 0)
            return false;
        if (helper && block.Count > 1)
            block.StartHelper();
        return true;
    }

    /// <summary>The text as it can wait for the helper: a slice of a string as it is, anything else (a buffer the cursor may reuse) copied.</summary>
    private static ReadOnlyMemory<char> Keep(ReadOnlyMemory<char> text)
    {
        if (text.IsEmpty || MemoryMarshal.TryGetString(text, out _, out _, out _))
            return text;
        return text.ToString().AsMemory();
    }

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (!_active.Contains(column.Index))
            throw new InvalidOperationException($"Column '{column.Name}' was not asked for when the cursor was made.");
        if (column.Index == _bag)
        {
            ValueGetter<VBuffer<float>> bag = (ref VBuffer<float> value) => _block.Bag(_row).CopyTo(ref value);
            return bag as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' holds Vector<Single>; a getter of {typeof(TValue).Name} was asked for.");
        }
        if (column.Index == _textIndex)
        {
            ValueGetter<ReadOnlyMemory<char>> text = (ref ReadOnlyMemory<char> value) => value = _block.Texts[_row];
            return text as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' holds text; a getter of {typeof(TValue).Name} was asked for.");
        }
        int c = Array.FindIndex(_columns, b => b.Index == column.Index);
        return _columns[c].Getter<TValue>(this, c);
    }

    public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId value) => value = _block.Ids[_row];

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _inner.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>
    /// A block of rows read ahead: texts, ids, the other columns' values, and each row's vector with who computes it.
    /// Row states: 0 nobody yet, 1 the helper is computing it, 2 the helper's is ready, 3 the cursor computes it.
    /// </summary>
    private sealed class Block
    {
        private readonly DocumentVectorizer _helperVectorizer;
        private readonly int[] _state = new int[BlockRows];
        private readonly VBuffer<float>[] _helperBags = new VBuffer<float>[BlockRows];
        private readonly VBuffer<float>[] _ownBags = new VBuffer<float>[BlockRows];
        private volatile bool _helperRunning;

        public Block(VocabularyIndex index, ColumnBuffer[] columns)
        {
            _helperVectorizer = new DocumentVectorizer(index);
            Columns = columns.Select(c => c.NewValues()).ToArray();
        }

        public ReadOnlyMemory<char>[] Texts { get; } = new ReadOnlyMemory<char>[BlockRows];

        public DataViewRowId[] Ids { get; } = new DataViewRowId[BlockRows];

        public ColumnValues[] Columns { get; }

        public int Count { get; set; }

        /// <summary>True from the moment the helper is queued until it has left the block.</summary>
        public bool HelperRunning => _helperRunning;

        public void Reset()
        {
            Array.Clear(_state);
            Array.Clear(Texts, 0, Count);
            Count = 0;
        }

        public void StartHelper()
        {
            _helperRunning = true;
            ThreadPool.UnsafeQueueUserWorkItem(static block => block.RunHelper(), this, preferLocal: false);
        }

        /// <summary>The helper: rows from the last backwards, until it meets one the cursor took.</summary>
        private void RunHelper()
        {
            try
            {
                for (int row = Count - 1; row >= 0 && Interlocked.CompareExchange(ref _state[row], 1, 0) == 0; row--)
                {
                    _helperVectorizer.Vectorize(Texts[row], ref _helperBags[row]);
                    if (Interlocked.CompareExchange(ref _state[row], 2, 1) != 1)
                        break; // the cursor got there first and computed the row itself
                }
            }
            catch (Exception)
            {
                // leave the rest to the cursor, which computes them itself and throws the same error where it can be seen
            }
            finally
            {
                _helperRunning = false;
            }
        }

        /// <summary>Makes sure the row's vector is computed: by the helper, or else now by the cursor.</summary>
        public void Resolve(int row, DocumentVectorizer vectorizer)
        {
            while (true)
            {
                int state = Volatile.Read(ref _state[row]);
                if (state >= 2)
                    return; // the helper's is ready (or the cursor computed it already)
                if (Interlocked.CompareExchange(ref _state[row], 3, state) == state)
                {
                    // nobody had it, or the helper is still on it: the cursor does not wait
                    vectorizer.Vectorize(Texts[row], ref _ownBags[row]);
                    return;
                }
            }
        }

        /// <summary>The row's vector, after <see cref="Resolve"/>.</summary>
        public ref VBuffer<float> Bag(int row) => ref Volatile.Read(ref _state[row]) == 2 ? ref _helperBags[row] : ref _ownBags[row];
    }

    /// <summary>One block's values of one column.</summary>
    private abstract class ColumnValues
    {
    }

    private sealed class ColumnValues<T> : ColumnValues
    {
        public T[] Values { get; } = new T[BlockRows];
    }

    /// <summary>Reads one column's values into a block and hands them out again: plain copies of unmanaged values, text kept or copied, vectors copied.</summary>
    private abstract class ColumnBuffer
    {
        protected ColumnBuffer(int index) => Index = index;

        /// <summary>The column's index in the schema.</summary>
        public int Index { get; }

        public static bool CanBuffer(Type type) =>
            type == typeof(ReadOnlyMemory<char>) || IsUnmanaged(type)
            || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(VBuffer<>) && IsUnmanaged(type.GetGenericArguments()[0]));

        private static bool IsUnmanaged(Type type) =>
            type.IsValueType && !(bool)typeof(RuntimeHelpers).GetMethod(nameof(RuntimeHelpers.IsReferenceOrContainsReferences))!.MakeGenericMethod(type).Invoke(null, null)!;

        public static ColumnBuffer Create(DataViewRowCursor inner, DataViewSchema.Column column)
        {
            var type = column.Type.RawType;
            if (type == typeof(ReadOnlyMemory<char>))
                return new TextBuffer(inner, column);
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(VBuffer<>))
                return (ColumnBuffer)Activator.CreateInstance(typeof(VectorBuffer<>).MakeGenericType(type.GetGenericArguments()[0]), inner, column)!;
            return (ColumnBuffer)Activator.CreateInstance(typeof(ValueBuffer<>).MakeGenericType(type), inner, column)!;
        }

        public abstract ColumnValues NewValues();

        /// <summary>Reads the inner cursor's current value into row <paramref name="row"/> of <paramref name="values"/>.</summary>
        public abstract void Read(ColumnValues values, int row);

        /// <summary>A getter of the value kept for the cursor's current row (column number <paramref name="c"/> of its blocks).</summary>
        public ValueGetter<TValue> Getter<TValue>(ReadAheadBagCursor cursor, int c) =>
            Getter(cursor, c) as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column {Index} holds {ValueType.Name}; a getter of {typeof(TValue).Name} was asked for.");

        protected abstract Type ValueType { get; }

        protected abstract Delegate Getter(ReadAheadBagCursor cursor, int c);

        protected static T[] Values<T>(ReadAheadBagCursor cursor, int c) => ((ColumnValues<T>)cursor._block.Columns[c]).Values;
    }

    /// <summary>Unmanaged values: the getter writes them into the block.</summary>
    private sealed class ValueBuffer<T> : ColumnBuffer
    {
        private readonly ValueGetter<T> _getter;

        public ValueBuffer(DataViewRowCursor inner, DataViewSchema.Column column)
            : base(column.Index) => _getter = inner.GetGetter<T>(column);

        protected override Type ValueType => typeof(T);

        public override ColumnValues NewValues() => new ColumnValues<T>();

        public override void Read(ColumnValues values, int row) => _getter(ref ((ColumnValues<T>)values).Values[row]);

        protected override Delegate Getter(ReadAheadBagCursor cursor, int c) => (ValueGetter<T>)((ref T value) => value = Values<T>(cursor, c)[cursor._row]);
    }

    /// <summary>Text: slices of strings kept, any other text copied.</summary>
    private sealed class TextBuffer : ColumnBuffer
    {
        private readonly ValueGetter<ReadOnlyMemory<char>> _getter;
        private ReadOnlyMemory<char> _value;

        public TextBuffer(DataViewRowCursor inner, DataViewSchema.Column column)
            : base(column.Index) => _getter = inner.GetGetter<ReadOnlyMemory<char>>(column);

        protected override Type ValueType => typeof(ReadOnlyMemory<char>);

        public override ColumnValues NewValues() => new ColumnValues<ReadOnlyMemory<char>>();

        public override void Read(ColumnValues values, int row)
        {
            _getter(ref _value);
            ((ColumnValues<ReadOnlyMemory<char>>)values).Values[row] = Keep(_value);
        }

        protected override Delegate Getter(ReadAheadBagCursor cursor, int c) =>
            (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = Values<ReadOnlyMemory<char>>(cursor, c)[cursor._row]);
    }

    /// <summary>Vectors of unmanaged values, copied into the block's own buffers and out into the caller's.</summary>
    private sealed class VectorBuffer<T> : ColumnBuffer
    {
        private readonly ValueGetter<VBuffer<T>> _getter;
        private VBuffer<T> _value;

        public VectorBuffer(DataViewRowCursor inner, DataViewSchema.Column column)
            : base(column.Index) => _getter = inner.GetGetter<VBuffer<T>>(column);

        protected override Type ValueType => typeof(VBuffer<T>);

        public override ColumnValues NewValues() => new ColumnValues<VBuffer<T>>();

        public override void Read(ColumnValues values, int row)
        {
            _getter(ref _value);
            _value.CopyTo(ref ((ColumnValues<VBuffer<T>>)values).Values[row]);
        }

        protected override Delegate Getter(ReadAheadBagCursor cursor, int c) =>
            (ValueGetter<VBuffer<T>>)((ref VBuffer<T> value) => Values<VBuffer<T>>(cursor, c)[cursor._row].CopyTo(ref value));
    }
}
