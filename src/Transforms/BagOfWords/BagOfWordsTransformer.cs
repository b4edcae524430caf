using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.BagOfWords;

namespace MlNetDeep;

/// <summary>The fitted bag-of-words vectorizer: the learned vocabulary (the output's slot names) and its statistics.</summary>
public sealed class BagOfWordsTransformer : ComposedTransformer
{
    private readonly string[] _vocabulary;
    private readonly long[] _counts;
    private readonly long[] _documentFrequencies;
    private readonly double[]? _idf;
    private readonly VocabularyIndex _index;
    private readonly string _outputColumn;
    private readonly string _inputColumn;

    internal BagOfWordsTransformer(TransformerChain<ITransformer> inner, string[] vocabulary, long[] counts, long[] documentFrequencies, double[]? idf,
        long outOfVocabularyTokenCount, long documentCount, BagOfWordsMode mode, BagOfWordsTokenizer tokenizer, VocabularyIndex index, string outputColumn, string inputColumn)
        : base(inner)
    {
        _index = index;
        _outputColumn = outputColumn;
        _inputColumn = inputColumn;
        _vocabulary = vocabulary;
        _counts = counts;
        _documentFrequencies = documentFrequencies;
        _idf = idf;
        OutOfVocabularyTokenCount = outOfVocabularyTokenCount;
        DocumentCount = documentCount;
        Mode = mode;
        Tokenizer = tokenizer;
    }

    /// <summary>The vocabulary in slot order: most frequent first, ties in ordinal order. Output slot i counts token <c>Vocabulary[i]</c>.</summary>
    public IReadOnlyList<string> Vocabulary => _vocabulary;

    /// <summary>How often each vocabulary token occurred in the fitting corpus, in slot order.</summary>
    public IReadOnlyList<long> TokenCounts => _counts;

    /// <summary>In how many fitting documents each vocabulary token occurred, in slot order.</summary>
    public IReadOnlyList<long> DocumentFrequencies => _documentFrequencies;

    /// <summary>The idf weight of each slot, ln((1 + N) / (1 + df)) + 1, in TF-IDF mode; empty otherwise.</summary>
    public IReadOnlyList<double> InverseDocumentFrequencies => _idf ?? Array.Empty<double>();

    /// <summary>How many token occurrences of the fitting corpus fell outside the vocabulary (they are ignored when transforming); removed stop words are not counted.</summary>
    public long OutOfVocabularyTokenCount { get; }

    /// <summary>How many documents (rows) the vocabulary was learned from.</summary>
    public long DocumentCount { get; }

    /// <summary>What each slot holds.</summary>
    public BagOfWordsMode Mode { get; }

    /// <summary>How text was split into tokens.</summary>
    public BagOfWordsTokenizer Tokenizer { get; }

    /// <summary>
    /// Vectorizes <paramref name="input"/>. The schema and values are those of the saved chain of standard ML.NET
    /// transforms; a cursor that reads the vector (when it is written beside the text column, not in its place)
    /// computes it in one pass per row, tokenizing and looking each token's slot up without the chain's token and key
    /// columns; on a machine with more than one core, a single cursor computes a block of rows' vectors on two threads.
    /// A saved and loaded model is that chain and gives the same vectors.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    public override IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return FusedBagView.Create(base.Transform(input), _index, _outputColumn, _inputColumn, ReadAhead && Environment.ProcessorCount > 1, !AlwaysReadAhead);
    }

    /// <summary>Whether a single cursor may compute blocks of vectors on two threads (<see cref="ReadAheadBagCursor"/>); true by default, off to compare.</summary>
    internal bool ReadAhead { get; set; } = true;

    /// <summary>Whether the read-ahead cursor keeps its helper even when the process gets no second core (tests of the two-thread path).</summary>
    internal bool AlwaysReadAhead { get; set; }
}
