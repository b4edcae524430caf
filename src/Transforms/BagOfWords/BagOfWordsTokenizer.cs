namespace MlNetDeep;

/// <summary>How <see cref="BagOfWordsEstimator"/> splits text into tokens (both come from Microsoft.ML.Tokenizers).</summary>
public enum BagOfWordsTokenizer
{
    /// <summary>
    /// Words: lower-cased (invariant culture), split on every character that is not a letter, combining mark or digit;
    /// punctuation and whitespace are dropped ("Don't stop!" → "don", "t", "stop"). Keras' <c>Tokenizer</c> and the
    /// lecture's IMDB word indices work at this level.
    /// </summary>
    Words,

    /// <summary>
    /// Subword tokens of OpenAI's Tiktoken <c>cl100k_base</c> encoding (its data ship in the
    /// Microsoft.ML.Tokenizers.Data.Cl100kBase package), case kept, each token's surrounding whitespace trimmed and
    /// whitespace-only tokens dropped (" the" and "the" are one token).
    /// </summary>
    Cl100kBase,
}
