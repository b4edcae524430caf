using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.BagOfWords;

/// <summary>
/// Counts tokens over a corpus and keeps the top N by frequency (ties: ordinal order) among those in enough documents.
/// Words are counted by span (lower-cased into a reused buffer when needed), with no string per token, on one thread
/// or on several that take chunks of documents from the cursor in turn. Other tokenizers count in parallel over blocks
/// of documents.
/// </summary>
internal sealed class VocabularyBuilder
{
    private const int BlockSize = 512;

    private readonly Func<ReadOnlyMemory<char>, ReadOnlyMemory<char>[]> _tokenize;
    private readonly bool _words;
    private readonly int _wordWorkers;
    private readonly bool _adaptive; // the default worker count: helpers stop when the process gets no second core
    private readonly TokenTable _tokens = new();
    private long _totalTokens;

    /// <summary>
    /// A builder for <paramref name="tokenizer"/>'s tokens; words are counted on <paramref name="wordWorkers"/> threads
    /// (0, the default: one per core, at most 8, and back to the calling thread alone when after
    /// <see cref="CoreProbe.Window"/> the process is not running on more than one core). Several workers pull chunks
    /// of documents from the cursor as they go (see <see cref="AddAllWords"/>), so a core that is busy with another
    /// process costs no more than the chunk it holds, and a corpus of one chunk is counted by the calling thread alone.
    /// </summary>
    public VocabularyBuilder(BagOfWordsTokenizer tokenizer, int wordWorkers = 0)
    {
        _wordWorkers = wordWorkers > 0 ? wordWorkers : DefaultWordWorkers;
        _adaptive = wordWorkers <= 0;
        _tokenize = Tokenization.For(tokenizer);
        _words = tokenizer == BagOfWordsTokenizer.Words;
    }

    /// <summary>The number of threads words are counted on by default: one per core, at most 8.</summary>
    public static int DefaultWordWorkers => Math.Min(Environment.ProcessorCount, MaxWordWorkers);

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
    /// <see cref="Tokenization.Words"/>. With more than one worker, each worker in turn takes the cursor, reads the
    /// next documents (about <see cref="ChunkCharacters"/> characters, copied unless they are slices of strings) with
    /// their document numbers, lets go of it and counts them into its own table; the tables are summed at the end.
    /// There is no barrier: a worker the machine slows down (or that starts late, or never) holds up the others by at
    /// most its one chunk. Every count is a sum over documents, and the vocabulary is chosen by count then ordinal
    /// order, so the result does not depend on the number of workers or on which thread counted what.
    /// </summary>
    private void AddAllWords(IDataView data, string textColumn)
    {
        var column = data.Schema[textColumn];
        using var cursor = data.GetRowCursor(new[] { column });
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
        int workers = _wordWorkers;
        if (workers == 1)
        {
            ReadOnlyMemory<char> text = default;
            var lower = new char[256];
            while (cursor.MoveNext())
            {
                getter(ref text);
                _totalTokens += CountWords(_tokens, text.Span, ++Documents, ref lower);
            }
            return;
        }
        var reader = new ChunkReader(cursor, getter);
        var helpers = new Worker[workers - 1];
        for (int w = 0; w < helpers.Length; w++)
        {
            helpers[w] = new Worker(reader, new TokenTable());
            var helper = helpers[w];
            helper.Task = Task.Run(() => helper.RunIfNotCancelled()); // on the thread pool: it may start late, or after the others are done
        }
        var own = new Worker(reader, _tokens, own: true, _adaptive ? new CoreProbe() : null);
        Exception? error = null;
        try
        {
            own.Run();
        }
        catch (Exception e)
        {
            error = e;
        }
        reader.Stop(); // after an error the helpers stop after their current chunk
        foreach (var helper in helpers)
        {
            if (helper.Cancel())
                continue;
            try
            {
                helper.Task!.GetAwaiter().GetResult(); // started: it may still be counting its last chunk
            }
            catch (Exception e)
            {
                error ??= e;
            }
        }
        if (error is not null)
            ExceptionDispatchInfo.Capture(error).Throw(); // the first error, as one thread would throw it (the cursor's, or a table's: too many distinct characters)
        Documents += reader.Documents;
        _totalTokens += own.Tokens;
        var started = helpers.Where(h => h.Tokens > 0 || h.Table.Count > 0).ToArray();
        _tokens.EnsureCapacity(_tokens.Count + started.Sum(h => h.Table.Count)); // at most that many distinct tokens in all
        foreach (var helper in started)
        {
            var table = helper.Table;
            for (int i = 0; i < table.Count; i++)
            {
                ref var partial = ref table.StatisticsAt(i);
                ref var s = ref _tokens.GetOrAdd(table.TokenAt(i), table.HashAt(i));
                s.Count += partial.Count;
                s.Documents += partial.Documents;
            }
            _totalTokens += helper.Tokens;
        }
    }

    /// <summary>Characters a worker reads from the cursor at a time when words are counted on several threads.</summary>
    internal const int ChunkCharacters = 1 << 16;

    /// <summary>At most so many documents a chunk (many short or empty ones).</summary>
    private const int ChunkDocuments = 1024;

    private const int MaxWordWorkers = 8;

    /// <summary>
    /// Hands out the cursor's documents in chunks, one worker at a time: the texts (slices of strings as they are, any
    /// other text copied into the worker's buffer, which the cursor may reuse) and the number of the first.
    /// </summary>
    private sealed class ChunkReader
    {
        private readonly DataViewRowCursor _cursor;
        private readonly ValueGetter<ReadOnlyMemory<char>> _getter;
        private readonly object _lock = new();
        private bool _done;
        private volatile bool _helpersStopped;

        public ChunkReader(DataViewRowCursor cursor, ValueGetter<ReadOnlyMemory<char>> getter)
        {
            _cursor = cursor;
            _getter = getter;
        }

        /// <summary>How many documents were handed out.</summary>
        public long Documents { get; private set; }

        /// <summary>
        /// Fills <paramref name="chunk"/> with the next documents; returns the number (1-based) of the first, or 0 when
        /// none is left (for a helper also once <see cref="StopHelpers"/> was called).
        /// </summary>
        public long Next(List<ReadOnlyMemory<char>> chunk, ref char[] characters, bool helper)
        {
            chunk.Clear();
            if (helper && _helpersStopped)
                return 0;
            lock (_lock)
            {
                long first = Documents + 1;
                int used = 0, read = 0;
                ReadOnlyMemory<char> text = default;
                while (!_done && read < ChunkCharacters && chunk.Count < ChunkDocuments && (_done = !_cursor.MoveNext()) == false)
                {
                    _getter(ref text);
                    read += text.Length;
                    if (MemoryMarshal.TryGetString(text, out _, out _, out _))
                    {
                        chunk.Add(text); // a slice of a string: immutable, so it can wait uncopied
                        continue;
                    }
                    if (characters.Length - used < text.Length)
                    {
                        // a new buffer: the chunk's earlier documents keep the old one
                        characters = new char[Math.Max(2 * ChunkCharacters, text.Length)];
                        used = 0;
                    }
                    text.Span.CopyTo(characters.AsSpan(used));
                    chunk.Add(characters.AsMemory(used, text.Length));
                    used += text.Length;
                }
                Documents += chunk.Count;
                return chunk.Count == 0 ? 0 : first;
            }
        }

        /// <summary>Hands out no further documents to helpers: the calling thread counts the rest alone.</summary>
        public void StopHelpers() => _helpersStopped = true;

        /// <summary>Hands out no further documents.</summary>
        public void Stop()
        {
            lock (_lock)
                _done = true;
        }
    }

    /// <summary>
    /// One thread's share: chunks of documents counted into its own table. The calling thread's worker, given a
    /// <see cref="CoreProbe"/>, stops the helpers when, after the probe's window, the process is not running on more
    /// than one core: the machine is busy, and a helper would only add its table's merge.
    /// </summary>
    private sealed class Worker
    {
        private readonly ChunkReader _reader;
        private readonly bool _own; // the calling thread's
        private readonly CoreProbe? _probe;
        private int _state; // 0 not started, 1 running or done, 2 cancelled before it started

        public Worker(ChunkReader reader, TokenTable table, bool own = false, CoreProbe? probe = null)
        {
            _reader = reader;
            Table = table;
            _own = own;
            _probe = probe;
        }

        public TokenTable Table { get; }

        public long Tokens { get; private set; }

        public Task? Task { get; set; }

        /// <summary>Runs unless <see cref="Cancel"/> came first.</summary>
        public void RunIfNotCancelled()
        {
            if (Interlocked.CompareExchange(ref _state, 1, 0) == 0)
                Run();
        }

        /// <summary>True when the worker had not started (it never will); false when it has, and must be waited for.</summary>
        public bool Cancel() => Interlocked.CompareExchange(ref _state, 2, 0) == 0;

        public void Run()
        {
            var chunk = new List<ReadOnlyMemory<char>>();
            var characters = Array.Empty<char>();
            var lower = new char[256];
            try
            {
                bool helper = !_own;
                for (long first = _reader.Next(chunk, ref characters, helper); first != 0; first = _reader.Next(chunk, ref characters, helper))
                {
                    for (int d = 0; d < chunk.Count; d++)
                        Tokens += CountWords(Table, chunk[d].Span, first + d, ref lower);
                    if (_probe?.Verdict() == false)
                        _reader.StopHelpers();
                }
            }
            catch
            {
                _reader.Stop();
                throw;
            }
        }
    }

    /// <summary>Counts the words of one document (number <paramref name="document"/>, never 0) into <paramref name="table"/>; returns how many there were.</summary>
    private static long CountWords(TokenTable table, ReadOnlySpan<char> text, long document, ref char[] lower)
    {
        var counter = new WordCounter { Table = table, Document = document, Lower = lower };
        WordScanner.Scan(text, ref counter);
        lower = counter.Lower;
        return counter.Tokens;
    }

    /// <summary>Counts each word it receives (lower-cased into a reused buffer when that changes it) toward one document.</summary>
    private struct WordCounter : IWordSink
    {
        public TokenTable Table;
        public long Document;
        public char[] Lower;
        public long Tokens;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Word(ReadOnlySpan<char> text, int start, int length, bool lowerCaseChanges)
        {
            var word = text.Slice(start, length);
            if (lowerCaseChanges)
            {
                if (Lower.Length < length)
                    Lower = new char[Math.Max(length, 2 * Lower.Length)];
                word.ToLowerInvariant(Lower);
                word = Lower.AsSpan(0, length);
            }
            ref var s = ref Table.GetOrAdd(word);
            s.Count++;
            if (s.LastDocument != Document)
            {
                s.Documents++;
                s.LastDocument = Document;
            }
            Tokens++;
        }
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
