namespace MlNetDeep;

/// <summary>Options of <see cref="BagOfWordsEstimator"/>: tokenizer, vocabulary and what the vector holds.</summary>
public sealed class BagOfWordsOptions
{
    /// <summary>The Single vector column written, one slot per vocabulary token.</summary>
    /// <value>The default value is <c>"Features"</c>.</value>
    public string OutputColumnName { get; set; } = "Features";

    /// <summary>The text column to vectorize; null means <see cref="OutputColumnName"/>.</summary>
    /// <value>The default value is null.</value>
    public string? InputColumnName { get; set; }

    /// <summary>The most tokens kept: the most frequent in the fitting corpus (Keras <c>num_words</c>, scikit-learn <c>max_features</c>).</summary>
    /// <value>The default value is 10,000 (the lecture's IMDB setting).</value>
    public int MaximumVocabularySize { get; set; } = 10_000;

    /// <summary>The fewest documents a token must occur in to enter the vocabulary (scikit-learn <c>min_df</c>).</summary>
    /// <value>The default value is 1.</value>
    public int MinimumDocumentFrequency { get; set; } = 1;

    /// <summary>How text is split into tokens.</summary>
    /// <value>The default value is <see cref="BagOfWordsTokenizer.Words"/>.</value>
    public BagOfWordsTokenizer Tokenizer { get; set; } = BagOfWordsTokenizer.Words;

    /// <summary>Whether ML.NET's default English stop words ("the", "and", …) are removed before counting (compared case-insensitively).</summary>
    /// <value>The default value is false (Keras keeps them).</value>
    public bool RemoveStopWords { get; set; }

    /// <summary>What each slot holds.</summary>
    /// <value>The default value is <see cref="BagOfWordsMode.MultiHot"/>.</value>
    public BagOfWordsMode Mode { get; set; } = BagOfWordsMode.MultiHot;

    internal BagOfWordsOptions Clone() => (BagOfWordsOptions)MemberwiseClone();
}
