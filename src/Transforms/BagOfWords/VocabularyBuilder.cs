using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.BagOfWords;

/// <summary>
/// Counts tokens over a corpus and keeps the top N by frequency (ties: ordinal order) among those in enough documents.
/// Words are counted by span (lower-cased into a reused buffer when needed), with no string per token, streaming on
/// one thread or over blocks of documents on several. Other tokenizers count in parallel over blocks of documents.
/// </summary>
internal sealed class VocabularyBuilder
{
    private const int BlockSize = 512;

    private readonly Func<ReadOnlyMemory<char>, ReadOnlyMemory<char>[]> _tokenize;
    private readonly bool _words;
    private readonly int _wordWorkers;
    private readonly TokenTable _tokens = new();
    private long _totalTokens;

    /// <summary>
    /// A builder for <paramref name="tokenizer"/>'s tokens; words are counted on <paramref name="wordWorkers"/> threads
    /// (0: one per core, at most 8). One by default: on the SpamAssassin mails two cores took 12–25% more CPU time than
    /// one thread (the per-core tables' merge) and were not faster in wall time on a loaded 2-core machine (bow-parts
    /// times both, interleaved; the quiet case is not measured yet).
    /// </summary>
    public VocabularyBuilder(BagOfWordsTokenizer tokenizer, int wordWorkers = 1)
    {
        _wordWorkers = wordWorkers > 0 ? wordWorkers : Math.Min(Environment.ProcessorCount, MaxWordWorkers);
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

    /// <summary>
    /// The words of every document, counted as they stream by: the same counts as tokenizing each with
    /// <see cref="Tokenization.Words"/>. With more than one worker the texts are read in blocks of about
    /// <see cref="WordBlockCharacters"/> characters (copied unless they are slices of strings); each worker takes the
    /// block's documents one at a time and counts each into its own table; the tables are summed at the end. Every count is a sum over documents,
    /// and the vocabulary is chosen by count then ordinal order, so the result does not depend on the number of
    /// workers or on which thread counted what.
    /// </summary>
    private void AddAllWords(IDataView data, string textColumn)
    {
        var column = data.Schema[textColumn];
        using var cursor = data.GetRowCursor(new[] { column });
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
        ReadOnlyMemory<char> text = default;
        int workers = _wordWorkers;
        if (workers == 1)
        {
            var lower = new char[256];
            while (cursor.MoveNext())
            {
                getter(ref text);
                _totalTokens += CountWords(_tokens, text.Span, ++Documents, ref lower);
            }
            return;
        }
        var tables = new TokenTable[workers];
        var lowers = new char[workers][];
        var totals = new long[workers];
        tables[0] = _tokens;
        for (int w = 0; w < workers; w++)
        {
            tables[w] ??= new TokenTable();
            lowers[w] = new char[256];
        }
        var documents = new List<ReadOnlyMemory<char>>();
        char[] characters = Array.Empty<char>();
        bool more = true;
        while (more)
        {
            long blockCharacters = 0;
            int used = 0;
            documents.Clear();
            while (blockCharacters < WordBlockCharacters && (more = cursor.MoveNext()))
            {
                getter(ref text);
                blockCharacters += text.Length;
                if (MemoryMarshal.TryGetString(text, out _, out _, out _))
                {
                    documents.Add(text); // a slice of a string: immutable, so it can wait for the workers uncopied
                    continue;
                }
                // anything else may be a buffer the cursor reuses: copied (a full copy buffer is left to the documents in it)
                if (characters.Length - used < text.Length)
                {
                    characters = new char[Math.Max(WordBlockCharacters, text.Length)];
                    used = 0;
                }
                text.Span.CopyTo(characters.AsSpan(used));
                documents.Add(characters.AsMemory(used, text.Length));
                used += text.Length;
            }
            long first = Documents + 1; // the block's first document number
            try
            {
                int next = -1;
                Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
                {
                    // each worker takes the block's next document until none is left: a worker the machine slows down
                    // (or that starts late) counts fewer documents instead of holding the others up
                    for (int d = Interlocked.Increment(ref next); d < documents.Count; d = Interlocked.Increment(ref next))
                        totals[w] += CountWords(tables[w], documents[d].Span, first + d, ref lowers[w]);
                });
            }
            catch (AggregateException e) when (e.InnerExceptions.Count == 1)
            {
                ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw(); // a table's own error (too many distinct characters), as one thread would throw it
            }
            Documents += documents.Count;
        }
        _tokens.EnsureCapacity(tables.Sum(t => t.Count)); // at most that many distinct tokens in all
        for (int w = 1; w < workers; w++)
        {
            var table = tables[w];
            for (int i = 0; i < table.Count; i++)
            {
                ref var partial = ref table.StatisticsAt(i);
                ref var s = ref _tokens.GetOrAdd(table.TokenAt(i), table.HashAt(i));
                s.Count += partial.Count;
                s.Documents += partial.Documents;
            }
        }
        _totalTokens += totals.Sum();
    }

    /// <summary>Characters read per block when words are counted on several cores.</summary>
    private const int WordBlockCharacters = 1 << 22;

    private const int MaxWordWorkers = 8;

    /// <summary>Counts the words of one document (number <paramref name="document"/>, never 0) into <paramref name="table"/>; returns how many there were.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long CountWords(TokenTable table, ReadOnlySpan<char> text, long document, ref char[] lower)
    {
        long tokens = 0;
        int position = 0;
        while (WordScanner.TryNext(text, ref position, out int start, out int length, out bool changes))
        {
            var word = text.Slice(start, length);
            if (changes)
            {
                if (lower.Length < length)
                    lower = new char[Math.Max(length, 2 * lower.Length)];
                word.ToLowerInvariant(lower);
                word = lower.AsSpan(0, length);
            }
            ref var s = ref table.GetOrAdd(word);
            s.Count++;
            if (s.LastDocument != document)
            {
                s.Documents++;
                s.LastDocument = document;
            }
            tokens++;
        }
        return tokens;
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
                ref var t = ref _tokens.GetOrAdd(token);
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
            int index = _tokens.IndexOf(token);
            if (index >= 0 && !_tokens.StatisticsAt(index).Removed)
            {
                ref var s = ref _tokens.StatisticsAt(index);
                s.Removed = true;
                _totalTokens -= s.Count;
            }
        }
    }

    /// <summary>Every distinct token seen (and not removed).</summary>
    public IEnumerable<string> Tokens
    {
        get
        {
            for (int i = 0; i < _tokens.Count; i++)
            {
                if (!_tokens.StatisticsAt(i).Removed)
                    yield return _tokens.TokenAt(i).ToString();
            }
        }
    }

    /// <summary>The kept tokens in slot order, with their corpus counts and document frequencies, and the count of tokens not kept.</summary>
    public (string[] Tokens, long[] Counts, long[] DocumentFrequencies, long OutOfVocabulary) Build(int maximumSize, int minimumDocumentFrequency)
    {
        var candidates = new List<int>();
        for (int i = 0; i < _tokens.Count; i++)
        {
            ref var s = ref _tokens.StatisticsAt(i);
            if (!s.Removed && s.Documents >= minimumDocumentFrequency)
                candidates.Add(i);
        }
        // by count alone first (a numeric sort), then the ordinal tie-break only among the tokens that can be kept:
        // those above the maximumSize-th count and all tokens tied with it
        var indices = candidates.ToArray();
        var negatedCounts = indices.Select(i => -_tokens.StatisticsAt(i).Count).ToArray();
        Array.Sort(negatedCounts, indices);
        int end = Math.Min(maximumSize, indices.Length);
        while (end > 0 && end < indices.Length && negatedCounts[end] == negatedCounts[end - 1])
            end++;
        var kept = indices[..end];
        Array.Sort(kept, (a, b) =>
        {
            int byCount = _tokens.StatisticsAt(b).Count.CompareTo(_tokens.StatisticsAt(a).Count);
            return byCount != 0 ? byCount : _tokens.TokenAt(a).SequenceCompareTo(_tokens.TokenAt(b));
        });
        kept = kept[..Math.Min(maximumSize, kept.Length)];
        long inVocabulary = kept.Sum(i => _tokens.StatisticsAt(i).Count);
        return (kept.Select(i => _tokens.TokenAt(i).ToString()).ToArray(), kept.Select(i => _tokens.StatisticsAt(i).Count).ToArray(),
            kept.Select(i => _tokens.StatisticsAt(i).Documents).ToArray(), _totalTokens - inVocabulary);
    }
}
