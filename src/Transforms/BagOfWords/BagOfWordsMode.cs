namespace MlNetDeep;

/// <summary>What each slot of the bag-of-words vector holds for its vocabulary token.</summary>
public enum BagOfWordsMode
{
    /// <summary>1 if the token occurs in the text, else 0 (the lecture's <c>vectorize_sequences</c>, Keras <c>mode="binary"</c>).</summary>
    MultiHot,

    /// <summary>The number of times the token occurs in the text (Keras <c>mode="count"</c>).</summary>
    Counts,

    /// <summary>
    /// count × idf with idf = ln((1 + N) / (1 + df)) + 1, N the number of documents seen in <c>Fit</c> and df the
    /// number of them containing the token (scikit-learn's <c>smooth_idf=True</c>, without its row normalization).
    /// </summary>
    TfIdf,
}
