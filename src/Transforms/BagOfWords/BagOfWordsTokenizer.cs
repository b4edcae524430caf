namespace MlNetDeep;

/// <summary>How <see cref="BagOfWordsEstimator"/> splits text into tokens.</summary>
public enum BagOfWordsTokenizer
{
    /// <summary>
    /// Words: lower-cased (invariant culture), split on every character that is not a letter, combining mark or digit;
    /// punctuation and whitespace are dropped ("Don't stop!" → "don", "t", "stop"). Keras' <c>Tokenizer</c> and the
    /// lecture's IMDB word indices work at this level. A character scanner of this library finds them: the same tokens as
    /// Microsoft.ML.Tokenizers' <c>RegexPreTokenizer</c> with <c>[\p{L}\p{M}\p{N}]+</c> after invariant lower-casing,
    /// which this tokenizer used before (checked on every mail of the SpamAssassin corpus), so saved models keep their vectors.
    /// </summary>
    Words,

    /// <summary>
    /// Subword tokens of OpenAI's Tiktoken <c>cl100k_base</c> encoding (its data ship in the
    /// Microsoft.ML.Tokenizers.Data.Cl100kBase package), case kept, each token's surrounding whitespace trimmed and
    /// whitespace-only tokens dropped (" the" and "the" are one token). Tiktoken's merge is quadratic in the length of
    /// a run without spaces (160,000 letters took 7.4 s), so a run of more than 1,000 whitespace or non-whitespace
    /// characters is encoded in pieces of 1,000, at fit and at prediction time; text without such runs (every mail of
    /// the SpamAssassin corpus) is tokenized exactly as Tiktoken tokenizes it whole.
    /// </summary>
    Cl100kBase,
}
