using System.Numerics;
using System.Runtime.CompilerServices;
using Microsoft.ML.Data;

namespace MlNetDeep.BagOfWords;

/// <summary>
/// Turns one text into its bag-of-words vector in a single pass: scan a token, look its slot up, mark or count the
/// slot, then write the slots in ascending order as a sparse vector. The same values as the saved chain (tokenizer,
/// stop words, distinct tokens, MapValueToKey, MapKeyToVector, idf scaling) without its token arrays and key
/// columns: stop words never enter the vocabulary, so skipping tokens outside it drops them too; a slot's count is a
/// Single incremented by 1 per token, as MapKeyToVector sums; a TF-IDF value is that count times the Single scale.
/// A bitmap over the slots marks those seen in the document (walked in slot order afterwards, or the seen slots
/// sorted when the vocabulary is large) and is cleared again before the next one. One instance per cursor: it
/// reuses its buffers row after row and is not thread-safe.
/// </summary>
internal sealed class DocumentVectorizer
{
    private readonly VocabularyIndex _index;
    private readonly ulong[] _present; // one bit per slot: seen in this document; all clear between documents
    private readonly float[] _counts; // valid for the slots seen in this document
    private int[] _seen = new int[256]; // the slots seen in this document, in order of first occurrence
    private char[] _lower = new char[256];

    public DocumentVectorizer(VocabularyIndex index)
    {
        _index = index;
        _present = new ulong[(index.Size + 63) / 64];
        _counts = new float[index.Size];
    }

    /// <summary>Writes the vector of <paramref name="text"/> into <paramref name="bag"/>, reusing its buffers.</summary>
    public void Vectorize(ReadOnlyMemory<char> text, ref VBuffer<float> bag)
    {
        int seen = _index.Tokenizer == BagOfWordsTokenizer.Words ? CountWords(text.Span) : CountTokens(Tokenization.Cl100kBase(text));
        var slots = _seen.AsSpan(0, seen);
        SortAndClear(slots);
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

    private int CountWords(ReadOnlySpan<char> text)
    {
        var sink = new SlotSink { Vectorizer = this };
        WordScanner.Scan(text, ref sink);
        return sink.Seen;
    }

    /// <summary>Looks each word up (lower-cased into the vectorizer's buffer when that changes it) and marks or counts its slot.</summary>
    private struct SlotSink : IWordSink
    {
        public DocumentVectorizer Vectorizer;
        public int Seen;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Word(ReadOnlySpan<char> text, int start, int length, bool lowerCaseChanges)
        {
            var v = Vectorizer;
            var word = text.Slice(start, length);
            if (lowerCaseChanges)
            {
                if (v._lower.Length < length)
                    v._lower = new char[Math.Max(length, 2 * v._lower.Length)];
                word.ToLowerInvariant(v._lower);
                word = v._lower.AsSpan(0, length);
            }
            Seen = v.Add(v._index.SlotOf(word), Seen);
        }
    }

    private int CountTokens(ReadOnlyMemory<char>[] tokens)
    {
        int seen = 0;
        foreach (var token in tokens)
            seen = Add(_index.SlotOf(token.Span), seen);
        return seen;
    }

    /// <summary>
    /// Puts the seen slots in ascending order and clears their bits: by walking the bitmap when it has few words for
    /// the number of slots (a 10,000-token vocabulary has 157), by sorting them otherwise.
    /// </summary>
    private void SortAndClear(Span<int> slots)
    {
        if (_present.Length <= 4 * slots.Length)
        {
            int n = 0;
            for (int w = 0; w < _present.Length && n < slots.Length; w++)
            {
                for (ulong bits = _present[w]; bits != 0; bits &= bits - 1)
                    slots[n++] = (w << 6) + BitOperations.TrailingZeroCount(bits);
                _present[w] = 0;
            }
            return;
        }
        slots.Sort();
        foreach (int slot in slots)
            _present[slot >> 6] = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Add(int slot, int seen)
    {
        if (slot < 0)
            return seen;
        ref ulong word = ref _present[slot >> 6];
        ulong bit = 1UL << slot;
        if ((word & bit) == 0)
        {
            word |= bit;
            _counts[slot] = 0f;
            if (seen == _seen.Length)
                Array.Resize(ref _seen, 2 * seen);
            _seen[seen++] = slot;
        }
        _counts[slot] += 1f;
        return seen;
    }
}
