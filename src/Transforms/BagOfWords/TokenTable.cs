using System.Numerics;
using System.Runtime.CompilerServices;

namespace MlNetDeep.BagOfWords;

/// <summary>
/// Statistics per distinct token, looked up by character span: an open-addressing table whose keys live in one
/// growing character array, so counting a corpus allocates no string per token and keeps the table compact (a
/// corpus has hundreds of thousands of distinct tokens, so lookups are cache misses first). Keys are hashed with the
/// process-randomized string hash, so no text can be crafted to make probing slow.
/// </summary>
internal sealed class TokenTable
{
    private int[] _slots = new int[1 << 14]; // entry index + 1; 0 is an empty slot; at most half full
    private Entry[] _entries = new Entry[1 << 12];
    private char[] _characters = new char[1 << 16];
    private int _used;

    /// <summary>How many distinct tokens were added (removed ones included).</summary>
    public int Count { get; private set; }

    /// <summary>The statistics of <paramref name="token"/>, added with zeros when not seen before.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref TokenStatistics GetOrAdd(ReadOnlySpan<char> token) => ref GetOrAdd(token, string.GetHashCode(token));

    /// <summary>The statistics of <paramref name="token"/>, whose string hash is <paramref name="hash"/> (another table's <see cref="HashAt"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref TokenStatistics GetOrAdd(ReadOnlySpan<char> token, int hash)
    {
        int mask = _slots.Length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask)
        {
            int e = _slots[i];
            if (e == 0)
                return ref Add(token, hash, i);
            ref var entry = ref _entries[e - 1];
            if (entry.Hash == hash && entry.Length == token.Length && _characters.AsSpan(entry.Start, entry.Length).SequenceEqual(token))
                return ref entry.Statistics;
        }
    }

    /// <summary>The index of <paramref name="token"/>, or −1 when it was never added.</summary>
    public int IndexOf(ReadOnlySpan<char> token)
    {
        int hash = string.GetHashCode(token);
        int mask = _slots.Length - 1;
        for (int i = hash & mask; _slots[i] != 0; i = (i + 1) & mask)
        {
            ref var entry = ref _entries[_slots[i] - 1];
            if (entry.Hash == hash && entry.Length == token.Length && _characters.AsSpan(entry.Start, entry.Length).SequenceEqual(token))
                return _slots[i] - 1;
        }
        return -1;
    }

    /// <summary>The token at <paramref name="index"/> (0 to <see cref="Count"/> − 1, in order of first addition).</summary>
    public ReadOnlySpan<char> TokenAt(int index) => _characters.AsSpan(_entries[index].Start, _entries[index].Length);

    /// <summary>The string hash of the token at <paramref name="index"/>.</summary>
    public int HashAt(int index) => _entries[index].Hash;

    /// <summary>Grows the slots at once so that <paramref name="count"/> distinct tokens fit without growing them step by step.</summary>
    public void EnsureCapacity(int count)
    {
        if (2L * count > _slots.Length)
            Grow((int)BitOperations.RoundUpToPowerOf2((uint)Math.Min(2L * count, 1 << 30)));
        if (_entries.Length < count)
            Array.Resize(ref _entries, count);
    }

    /// <summary>The statistics of the token at <paramref name="index"/>.</summary>
    public ref TokenStatistics StatisticsAt(int index) => ref _entries[index].Statistics;

    private ref TokenStatistics Add(ReadOnlySpan<char> token, int hash, int slot)
    {
        if (_characters.Length - _used < token.Length)
        {
            if ((long)_used + token.Length > Array.MaxLength)
                throw new InvalidOperationException(
                    $"The corpus holds more distinct tokens than one vocabulary count can hold ({Count} tokens of {_used} characters in all); fit on fewer documents.");
            Array.Resize(ref _characters, (int)Math.Min(Array.MaxLength, Math.Max(2L * _characters.Length, (long)_used + token.Length)));
        }
        token.CopyTo(_characters.AsSpan(_used));
        if (Count == _entries.Length)
            Array.Resize(ref _entries, 2 * _entries.Length);
        _entries[Count] = new Entry { Hash = hash, Start = _used, Length = token.Length };
        _used += token.Length;
        _slots[slot] = ++Count;
        if (2 * Count > _slots.Length)
            Grow(2 * _slots.Length);
        return ref _entries[Count - 1].Statistics;
    }

    private void Grow(int size)
    {
        var slots = new int[size];
        int mask = slots.Length - 1;
        for (int e = 0; e < Count; e++)
        {
            int i = _entries[e].Hash & mask;
            while (slots[i] != 0)
                i = (i + 1) & mask;
            slots[i] = e + 1;
        }
        _slots = slots;
    }

    private struct Entry
    {
        public int Hash;
        public int Start;
        public int Length;
        public TokenStatistics Statistics;
    }
}

/// <summary>Corpus statistics of one token.</summary>
internal struct TokenStatistics
{
    public long Count;
    public long Documents;
    public long LastDocument; // the document (within a block, or 1-based in the streaming pass) that last counted toward Documents
    public bool Removed; // a stop word: counted neither in the vocabulary nor as out of vocabulary
}
