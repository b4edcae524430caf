using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.BagOfWords;

/// <summary>
/// Counts tokens over a corpus and keeps the top N by frequency (ties: ordinal order) among those in enough documents.
/// Words are counted in one streaming pass (each text lower-cased into one reused buffer, each word looked up by span):
/// no copy of the corpus and no string per token. Other tokenizers count in parallel over blocks of documents.
/// </summary>
internal sealed class VocabularyBuilder
{
    private const int BlockSize = 512;

    private readonly Func<ReadOnlyMemory<char>, ReadOnlyMemory<char>[]> _tokenize;
    private readonly bool _words;
    private readonly Dictionary<string, TokenStatistics> _tokens = new(StringComparer.Ordinal);
    private long _totalTokens;

    public VocabularyBuilder(BagOfWordsTokenizer tokenizer)
    {
        _tokenize = Tokenization.For(tokenizer);
        _words = tokenizer == BagOfWordsTokenizer.Words;
    }

    public long Documents { get; private set; }

    /// <summary>Tokenizes and counts every document of a text column.</summary>
    public void AddAll(IDataView data, string textColumn)
    {
        if (_words)
        {
            AddAllWords(data, textColumn);
            return;
        }
        var column = data.Schema[textColumn];
        var block = new List<ReadOnlyMemory<char>>(BlockSize);
        using var cursor = data.GetRowCursor(new[] { column });
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
        ReadOnlyMemory<char> text = default;
        while (cursor.MoveNext())
        {
            getter(ref text);
            block.Add(text.ToString().AsMemory()); // a copy: the cursor may reuse its buffer
            if (block.Count == BlockSize * Environment.ProcessorCount)
            {
                AddBlock(block);
                block.Clear();
            }
        }
        AddBlock(block);
    }

    /// <summary>The words of every document, counted as they stream by: the same counts as tokenizing each with <see cref="Tokenization.Words"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddAllWords(IDataView data, string textColumn)
    {
        var column = data.Schema[textColumn];
        using var cursor = data.GetRowCursor(new[] { column });
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
        ReadOnlyMemory<char> text = default;
        char[] lower = new char[4096];
#if NET9_0_OR_GREATER
        var lookup = _tokens.GetAlternateLookup<ReadOnlySpan<char>>();
#endif
        long document = 0;
        while (cursor.MoveNext())
        {
            getter(ref text);
            document++;
            if (lower.Length < text.Length)
                lower = new char[Math.Max(text.Length, 2 * lower.Length)];
            var span = lower.AsSpan(0, text.Length);
            text.Span.ToLowerInvariant(span);
            int position = 0;
            while (WordScanner.TryNext(span, ref position, out int start, out int length))
            {
#if NET9_0_OR_GREATER
                ref var s = ref CollectionsMarshal.GetValueRefOrAddDefault(lookup, span.Slice(start, length), out _);
#else
                ref var s = ref CollectionsMarshal.GetValueRefOrAddDefault(_tokens, span.Slice(start, length).ToString(), out _);
#endif
                s.Count++;
                if (s.LastDocument != document)
                {
                    s.Documents++;
                    s.LastDocument = document;
                }
                _totalTokens++;
            }
        }
        Documents += document;
    }

    private void AddBlock(List<ReadOnlyMemory<char>> texts)
    {
        Documents += texts.Count;
        var partial = new Dictionary<string, TokenStatistics>[(texts.Count + BlockSize - 1) / BlockSize];
        var totals = new long[partial.Length];
        Parallel.For(0, partial.Length, p => partial[p] = Count(texts, p * BlockSize, Math.Min(texts.Count, (p + 1) * BlockSize), out totals[p]));
        foreach (var counts in partial)
        {
            foreach (var (token, s) in counts)
            {
                ref var t = ref CollectionsMarshal.GetValueRefOrAddDefault(_tokens, token, out _);
                t.Count += s.Count;
                t.Documents += s.Documents;
            }
        }
        _totalTokens += totals.Sum();
    }

    /// <summary>Token statistics of documents <paramref name="start"/> to <paramref name="end"/> − 1 of a block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Dictionary<string, TokenStatistics> Count(List<ReadOnlyMemory<char>> texts, int start, int end, out long total)
    {
        var counts = new Dictionary<string, TokenStatistics>(StringComparer.Ordinal);
#if NET9_0_OR_GREATER
        // .NET 9+: look tokens up by span, allocating a string only for a token not seen before in this block
        var lookup = counts.GetAlternateLookup<ReadOnlySpan<char>>();
#endif
        total = 0;
        for (int i = start; i < end; i++)
        {
            var tokens = _tokenize(texts[i]);
            total += tokens.Length;
            foreach (var token in tokens)
            {
#if NET9_0_OR_GREATER
                ref var s = ref CollectionsMarshal.GetValueRefOrAddDefault(lookup, token.Span, out bool existed);
#else
                // .NET 8 has no alternate lookup: the same ordinal key as a string (same counts, one string per token)
                ref var s = ref CollectionsMarshal.GetValueRefOrAddDefault(counts, token.Span.ToString(), out bool existed);
#endif
                s.Count++;
                if (!existed || s.LastDocument != i)
                {
                    s.Documents++;
                    s.LastDocument = i;
                }
            }
        }
        return counts;
    }

    /// <summary>Forgets tokens that a later step removes (stop words): they count neither in the vocabulary nor as out of vocabulary.</summary>
    public void Remove(IEnumerable<string> tokens)
    {
        foreach (var token in tokens)
        {
            if (_tokens.Remove(token, out var s))
                _totalTokens -= s.Count;
        }
    }

    /// <summary>Every distinct token seen.</summary>
    public IEnumerable<string> Tokens => _tokens.Keys;

    /// <summary>The kept tokens in slot order, with their corpus counts and document frequencies, and the count of tokens not kept.</summary>
    public (string[] Tokens, long[] Counts, long[] DocumentFrequencies, long OutOfVocabulary) Build(int maximumSize, int minimumDocumentFrequency)
    {
        var kept = _tokens
            .Where(t => t.Value.Documents >= minimumDocumentFrequency)
            .OrderByDescending(t => t.Value.Count)
            .ThenBy(t => t.Key, StringComparer.Ordinal)
            .Take(maximumSize)
            .ToArray();
        long inVocabulary = kept.Sum(t => t.Value.Count);
        return (kept.Select(t => t.Key).ToArray(), kept.Select(t => t.Value.Count).ToArray(), kept.Select(t => t.Value.Documents).ToArray(), _totalTokens - inVocabulary);
    }

    private struct TokenStatistics
    {
        public long Count;
        public long Documents;
        public long LastDocument; // the document (within a block, or 1-based in the streaming pass) that last counted toward Documents
    }
}
