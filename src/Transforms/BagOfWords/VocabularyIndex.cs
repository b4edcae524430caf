using System.Numerics;
using System.Runtime.CompilerServices;

namespace MlNetDeep.BagOfWords;

/// <summary>
/// A fitted bag-of-words in the form the fused transform path reads: each vocabulary token's slot looked up by
/// character span (hashed with the process-randomized string hash, so no text can be crafted to make probing slow), what a slot holds and, in TF-IDF mode, the Single scales the saved chain's affine normalizer
/// multiplies by (read from that normalizer). Read-only once built, so every cursor of every thread shares one.
/// </summary>
internal sealed class VocabularyIndex
{
    // open addressing, at most a quarter full: each entry is the token's hash (high half) and slot + 1 (low half), so
    // a probe past another token rarely reads characters; 0 is an empty entry
    private readonly ulong[] _table;
    private readonly int[] _starts; // token i is _characters[_starts[i].._starts[i + 1]]
    private readonly char[] _characters;

    public VocabularyIndex(IReadOnlyList<string> vocabulary, BagOfWordsMode mode, BagOfWordsTokenizer tokenizer, float[]? scales)
    {
        _table = new ulong[BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, 4 * vocabulary.Count))];
        _starts = new int[vocabulary.Count + 1];
        _characters = new char[vocabulary.Sum(t => (long)t.Length)];
        int mask = _table.Length - 1;
        for (int slot = 0; slot < vocabulary.Count; slot++)
        {
            var token = vocabulary[slot];
            token.CopyTo(_characters.AsSpan(_starts[slot]));
            _starts[slot + 1] = _starts[slot] + token.Length;
            int hash = string.GetHashCode(token.AsSpan());
            int i = hash & mask;
            while (_table[i] != 0)
                i = (i + 1) & mask;
            _table[i] = ((ulong)(uint)hash << 32) | (uint)(slot + 1);
        }
        Size = vocabulary.Count;
        Mode = mode;
        Tokenizer = tokenizer;
        if ((mode == BagOfWordsMode.TfIdf) != (scales is not null) || (scales is not null && scales.Length != vocabulary.Count))
            throw new ArgumentException($"{mode} mode over {vocabulary.Count} tokens takes {(mode == BagOfWordsMode.TfIdf ? $"{vocabulary.Count} scales" : "no scales")}; received {scales?.Length.ToString() ?? "none"}.", nameof(scales));
        Scales = scales;
    }

    /// <summary>How many slots the vector has.</summary>
    public int Size { get; }

    public BagOfWordsMode Mode { get; }

    public BagOfWordsTokenizer Tokenizer { get; }

    /// <summary>The TF-IDF scale of each slot; null in the other modes.</summary>
    public float[]? Scales { get; }

    /// <summary>The slot of <paramref name="token"/>, or −1 when it is not in the vocabulary.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int SlotOf(ReadOnlySpan<char> token)
    {
        int hash = string.GetHashCode(token);
        int mask = _table.Length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask)
        {
            ulong entry = _table[i];
            if (entry == 0)
                return -1;
            if ((uint)(entry >> 32) == (uint)hash)
            {
                int slot = (int)(uint)entry - 1;
                if (_characters.AsSpan(_starts[slot], _starts[slot + 1] - _starts[slot]).SequenceEqual(token))
                    return slot;
            }
        }
    }
}
