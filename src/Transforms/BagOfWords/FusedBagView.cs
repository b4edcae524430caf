using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.BagOfWords;

/// <summary>
/// The output of a fitted bag-of-words chain whose vector column is computed in one fused pass per row
/// (<see cref="DocumentVectorizer"/>) instead of by the chain's tokenizer, distinct-token, key and vector stages.
/// A cursor that needs the vector asks the chain's cursor for the other columns it needs plus the text column,
/// leaving the vector inactive so none of the chain's stages run, and computes the vector from that row's text;
/// cursors that do not need the vector are the chain's own. The schema is the chain's, slot names included, and the
/// values are the chain's (a test compares both on every mail of a corpus). A saved and loaded model is the chain
/// itself.
/// </summary>
internal sealed class FusedBagView : IDataView
{
    private readonly IDataView _chain;
    private readonly VocabularyIndex _index;
    private readonly DataViewSchema.Column _bag;
    private readonly DataViewSchema.Column _text;
    private readonly bool _readAhead;
    private readonly bool _adaptive;

    private FusedBagView(IDataView chain, VocabularyIndex index, DataViewSchema.Column bag, DataViewSchema.Column text, bool readAhead, bool adaptive)
    {
        _adaptive = adaptive;
        _chain = chain;
        _index = index;
        _bag = bag;
        _text = text;
        _readAhead = readAhead;
    }

    /// <summary>
    /// Wraps the chain's output <paramref name="chain"/>; returns it unchanged when the text column is not among its
    /// visible columns (the vector was written in place of the text) or the vector is not the expected one. With
    /// <paramref name="readAhead"/>, a single cursor is a <see cref="ReadAheadBagCursor"/> when it can keep every
    /// other column it is asked for; <paramref name="adaptive"/> lets it drop its helper when the process gets no
    /// second core.
    /// </summary>
    public static IDataView Create(IDataView chain, VocabularyIndex index, string outputColumn, string inputColumn, bool readAhead, bool adaptive = true)
    {
        var bag = chain.Schema.GetColumnOrNull(outputColumn);
        var text = chain.Schema.GetColumnOrNull(inputColumn);
        if (outputColumn == inputColumn || bag is null || text is null || text.Value.Type is not TextDataViewType
            || bag.Value.Type is not VectorDataViewType { ItemType: var item, Size: var size } || item != NumberDataViewType.Single || size != index.Size)
            return chain;
        return new FusedBagView(chain, index, bag.Value, text.Value, readAhead, adaptive);
    }

    public bool CanShuffle => _chain.CanShuffle;

    public DataViewSchema Schema => _chain.Schema;

    public long? GetRowCount() => _chain.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToArray();
        if (!NeedsBag(needed))
            return _chain.GetRowCursor(needed, rand);
        if (_readAhead && needed.All(c => c.Index == _bag.Index || ReadAheadBagCursor.CanBuffer(c.Type)))
            return new ReadAheadBagCursor(Schema, _chain.GetRowCursor(InnerColumns(needed), rand), _index, _bag.Index, _text, needed, _adaptive);
        return new Cursor(this, _chain.GetRowCursor(InnerColumns(needed), rand), needed);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        var needed = columnsNeeded.ToArray();
        if (!NeedsBag(needed))
            return _chain.GetRowCursorSet(needed, n, rand);
        return _chain.GetRowCursorSet(InnerColumns(needed), n, rand).Select(c => (DataViewRowCursor)new Cursor(this, c, needed)).ToArray();
    }

    private bool NeedsBag(DataViewSchema.Column[] needed) => needed.Any(c => c.Index == _bag.Index);

    /// <summary>The columns asked of the chain: every needed one but the vector, and the text.</summary>
    private DataViewSchema.Column[] InnerColumns(DataViewSchema.Column[] needed) =>
        needed.Where(c => c.Index != _bag.Index).Append(_text).DistinctBy(c => c.Index).ToArray();

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly FusedBagView _parent;
        private readonly DataViewRowCursor _inner;
        private readonly HashSet<int> _active;
        private readonly ValueGetter<ReadOnlyMemory<char>> _text;
        private readonly DocumentVectorizer _vectorizer;
        private ReadOnlyMemory<char> _value;

        public Cursor(FusedBagView parent, DataViewRowCursor inner, DataViewSchema.Column[] needed)
        {
            _parent = parent;
            _inner = inner;
            _active = needed.Select(c => c.Index).ToHashSet();
            _text = inner.GetGetter<ReadOnlyMemory<char>>(parent._text);
            _vectorizer = new DocumentVectorizer(parent._index);
        }

        public override long Position => _inner.Position;

        public override long Batch => _inner.Batch;

        public override DataViewSchema Schema => _parent.Schema;

        public override bool MoveNext() => _inner.MoveNext();

        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index != _parent._bag.Index)
                return _inner.GetGetter<TValue>(column);
            ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) =>
            {
                _text(ref _value);
                _vectorizer.Vectorize(_value, ref value);
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' holds Vector<Single>; a getter of {typeof(TValue).Name} was asked for.");
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => _inner.GetIdGetter();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
