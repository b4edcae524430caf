namespace MlNetDeep.BagOfWords;

/// <summary>Counts tokens over a corpus and keeps the top N by frequency (ties: ordinal order) among those in enough documents.</summary>
internal sealed class VocabularyBuilder
{
    private readonly Dictionary<string, (long Count, long Documents)> _tokens = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seenInDocument = new(StringComparer.Ordinal);
    private long _totalTokens;

    public long Documents { get; private set; }

    /// <summary>Adds one document's tokens.</summary>
    public void Add(ReadOnlySpan<ReadOnlyMemory<char>> tokens)
    {
        Documents++;
        _seenInDocument.Clear();
        foreach (var memory in tokens)
        {
            var token = memory.ToString();
            _totalTokens++;
            var (count, documents) = _tokens.GetValueOrDefault(token);
            _tokens[token] = (count + 1, _seenInDocument.Add(token) ? documents + 1 : documents);
        }
    }

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
}
