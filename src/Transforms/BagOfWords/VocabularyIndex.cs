namespace MlNetDeep.BagOfWords;

/// <summary>
/// A fitted bag-of-words in the form the fused transform path reads: each vocabulary token's slot looked up by
/// character span, what a slot holds and, in TF-IDF mode, the Single scales the saved chain's affine normalizer
/// multiplies by (read from that normalizer). Read-only once built, so every cursor of every thread shares one.
/// </summary>
internal sealed class VocabularyIndex
{
    private readonly TokenTable _slots = new();

    public VocabularyIndex(IReadOnlyList<string> vocabulary, BagOfWordsMode mode, BagOfWordsTokenizer tokenizer, float[]? scales)
    {
        foreach (var token in vocabulary)
            _slots.GetOrAdd(token); // the table numbers tokens in order of addition: slot order
        Mode = mode;
        Tokenizer = tokenizer;
        if ((mode == BagOfWordsMode.TfIdf) != (scales is not null) || (scales is not null && scales.Length != vocabulary.Count))
            throw new ArgumentException($"{mode} mode over {vocabulary.Count} tokens takes {(mode == BagOfWordsMode.TfIdf ? $"{vocabulary.Count} scales" : "no scales")}; received {scales?.Length.ToString() ?? "none"}.", nameof(scales));
        Scales = scales;
    }

    /// <summary>How many slots the vector has.</summary>
    public int Size => _slots.Count;

    public BagOfWordsMode Mode { get; }

    public BagOfWordsTokenizer Tokenizer { get; }

    /// <summary>The TF-IDF scale of each slot; null in the other modes.</summary>
    public float[]? Scales { get; }

    /// <summary>The slot of <paramref name="token"/>, or −1 when it is not in the vocabulary.</summary>
    public int SlotOf(ReadOnlySpan<char> token) => _slots.IndexOf(token);
}
