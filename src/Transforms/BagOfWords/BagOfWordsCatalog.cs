using Microsoft.ML;

namespace MlNetDeep;

/// <summary>Catalog entry points of bag-of-words vectorization.</summary>
public static class BagOfWordsCatalog
{
    /// <summary>
    /// Vectorizes text as a multi-hot bag of words over the <paramref name="maximumVocabularySize"/> most frequent
    /// lower-cased words of the fitting corpus (the lecture's <c>vectorize_sequences</c>); see
    /// <see cref="BagOfWordsEstimator"/>.
    /// </summary>
    /// <param name="catalog">The text transforms catalog.</param>
    /// <param name="outputColumnName">The Single vector column written.</param>
    /// <param name="inputColumnName">The text column; null means <paramref name="outputColumnName"/>.</param>
    /// <param name="maximumVocabularySize">The most tokens kept; the default is 10,000.</param>
    /// <returns>The estimator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> is null.</exception>
    /// <exception cref="ArgumentException">An argument is invalid; the message lists every one.</exception>
    public static BagOfWordsEstimator VectorizeBagOfWords(this TransformsCatalog.TextTransforms catalog, string outputColumnName, string? inputColumnName = null,
        int maximumVocabularySize = 10_000)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new BagOfWordsEstimator(new BagOfWordsOptions
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            MaximumVocabularySize = maximumVocabularySize,
        });
    }

    /// <summary>Vectorizes text as a bag of words as <paramref name="options"/> say (tokenizer, stop words, minimum document frequency, mode).</summary>
    /// <param name="catalog">The text transforms catalog.</param>
    /// <param name="options">The options; copied, never written back.</param>
    /// <returns>The estimator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">One or more options are invalid; the message lists every one.</exception>
    public static BagOfWordsEstimator VectorizeBagOfWords(this TransformsCatalog.TextTransforms catalog, BagOfWordsOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new BagOfWordsEstimator(options);
    }
}
