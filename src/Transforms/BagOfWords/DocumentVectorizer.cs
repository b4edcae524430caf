using System.Runtime.CompilerServices;
using Microsoft.ML.Data;

namespace MlNetDeep.BagOfWords;

/// <summary>
/// Turns one text into its bag-of-words vector in a single pass: scan a token, look its slot up, mark or count the
/// slot, then write the slots in ascending order as a sparse vector. The same values as the saved chain (tokenizer,
/// stop words, distinct tokens, MapValueToKey, MapKeyToVector, idf scaling) without its token arrays and key
/// columns: stop words never enter the vocabulary, so skipping tokens outside it drops them too; a slot's count is a
/// Single incremented by 1 per token, as MapKeyToVector sums; a TF-IDF value is that count times the Single scale.
/// One instance per cursor: it reuses its buffers row after row and is not thread-safe.
/// </summary>
internal sealed class DocumentVectorizer
{
    private readonly VocabularyIndex _index;
    private readonly int[] _stamps; // the document a slot was last seen in: slots are reset lazily, never cleared
    private readonly float[] _counts;
    private int[] _seen = new int[256]; // the slots seen in this document, in order of first occurrence
    private char[] _lower = new char[256];
    private int _document;

    public DocumentVectorizer(VocabularyIndex index)
    {
        _index = index;
        _stamps = new int[index.Size];
        _counts = new float[index.Size];
    }

    /// <summary>Writes the vector of <paramref name="text"/> into <paramref name="bag"/>, reusing its buffers.</summary>
    public void Vectorize(ReadOnlyMemory<char> text, ref VBuffer<float> bag)
    {
        if (++_document == int.MaxValue)
        {
            Array.Clear(_stamps);
            _document = 1;
        }
        int seen = _index.Tokenizer == BagOfWordsTokenizer.Words ? CountWords(text.Span) : CountTokens(Tokenization.Cl100kBase(text));
        var slots = _seen.AsSpan(0, seen);
        slots.Sort();
        int size = _index.Size;
        var editor = VBufferEditor.Create(ref bag, size, seen, keepOldOnResize: false, requireIndicesOnDense: false);
        var values = editor.Values;
        var scales = _index.Scales;
        for (int i = 0; i < slots.Length; i++)
        {
            int slot = slots[i];
            values[i] = _index.Mode switch
            {
                BagOfWordsMode.MultiHot => 1f,
                BagOfWordsMode.Counts => _counts[slot],
                _ => _counts[slot] * scales![slot],
            };
        }
        if (seen < size)
            slots.CopyTo(editor.Indices);
        bag = editor.Commit();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int CountWords(ReadOnlySpan<char> text)
    {
        int seen = 0, position = 0;
        while (WordScanner.TryNext(text, ref position, out int start, out int length, out bool changes))
        {
            var word = text.Slice(start, length);
            if (changes)
            {
                if (_lower.Length < length)
                    _lower = new char[Math.Max(length, 2 * _lower.Length)];
                word.ToLowerInvariant(_lower);
                word = _lower.AsSpan(0, length);
            }
            seen = Add(_index.SlotOf(word), seen);
        }
        return seen;
    }

    private int CountTokens(ReadOnlyMemory<char>[] tokens)
    {
        int seen = 0;
        foreach (var token in tokens)
            seen = Add(_index.SlotOf(token.Span), seen);
        return seen;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Add(int slot, int seen)
    {
        if (slot < 0)
            return seen;
        if (_stamps[slot] != _document)
        {
            _stamps[slot] = _document;
            _counts[slot] = 0f;
            if (seen == _seen.Length)
                Array.Resize(ref _seen, 2 * seen);
            _seen[seen++] = slot;
        }
        _counts[slot] += 1f;
        return seen;
    }
}
