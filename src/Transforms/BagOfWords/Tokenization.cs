using System.ComponentModel;
using Microsoft.ML.Data;
using Microsoft.ML.Tokenizers;
using Microsoft.ML.Transforms;

namespace MlNetDeep.BagOfWords;

/// <summary>
/// The stateless text → token mappings of the bag-of-words, saved by ML.NET as CustomMappings by contract name.
/// The contract names, row classes and functions are a persisted format: never change one, add a "v2".
/// </summary>
internal static class Tokenization
{
    public const string WordsContract = "MlNetDeep.BagOfWords.WordTokens.v1";
    public const string Cl100kContract = "MlNetDeep.BagOfWords.Cl100kBaseTokens.v1";
    public const string DistinctContract = "MlNetDeep.BagOfWords.DistinctTokens.v1";

    public const string TextColumn = "__MlNetDeep_BowText";
    public const string TokensColumn = "__MlNetDeep_BowTokens";
    public const string DistinctTokensColumn = "__MlNetDeep_BowDistinctTokens";
    public const string KeysColumn = "__MlNetDeep_BowKeys";
    public const string CountsColumn = "__MlNetDeep_BowCounts";

    private static readonly Lazy<Tokenizer> Cl100k = new(() => TiktokenTokenizer.CreateForEncoding("cl100k_base"));

    /// <summary>The tokenizer function of a tokenizer kind.</summary>
    public static Func<ReadOnlyMemory<char>, ReadOnlyMemory<char>[]> For(BagOfWordsTokenizer tokenizer) => tokenizer == BagOfWordsTokenizer.Words ? Words : Cl100kBase;

    /// <summary>
    /// Lower-cased (invariant culture, as Microsoft.ML.Tokenizers' LowerCaseNormalizer) words of <paramref name="text"/>,
    /// the tokens Microsoft.ML.Tokenizers' RegexPreTokenizer gives with <c>[\p{L}\p{M}\p{N}]+</c> on the lower-cased
    /// text, found by <see cref="WordScanner"/>: a word that lower-casing leaves alone is a slice of
    /// <paramref name="text"/> (as ML.NET's own word tokenizer slices its input), the others are slices of one array
    /// holding their lower-cased copies; none for empty text.
    /// </summary>
    public static ReadOnlyMemory<char>[] Words(ReadOnlyMemory<char> text)
    {
        if (text.IsEmpty)
            return Array.Empty<ReadOnlyMemory<char>>();
        var span = text.Span;
        var words = t_wordRanges ??= new List<(int Start, int Length, bool Lower)>();
        var ranges = new WordRanges { Words = words };
        WordScanner.Scan(span, ref ranges);
        int lowerLength = ranges.LowerLength;
        var copies = lowerLength == 0 ? null : new char[lowerLength];
        var tokens = new ReadOnlyMemory<char>[words.Count];
        int used = 0;
        for (int i = 0; i < tokens.Length; i++)
        {
            var (start, length, lower) = words[i];
            if (lower)
            {
                span.Slice(start, length).ToLowerInvariant(copies.AsSpan(used, length));
                tokens[i] = copies.AsMemory(used, length);
                used += length;
            }
            else
            {
                tokens[i] = text.Slice(start, length);
            }
        }
        words.Clear();
        if (words.Capacity > 1 << 16)
            t_wordRanges = null; // do not keep a huge document's buffer alive
        return tokens;
    }

    [ThreadStatic]
    private static List<(int Start, int Length, bool Lower)>? t_wordRanges;

    /// <summary>Collects the words' ranges and the length their lower-cased copies need.</summary>
    private struct WordRanges : IWordSink
    {
        public List<(int Start, int Length, bool Lower)> Words;
        public int LowerLength;

        public void Word(ReadOnlySpan<char> text, int start, int length, bool lowerCaseChanges)
        {
            Words.Add((start, length, lowerCaseChanges));
            if (lowerCaseChanges)
                LowerLength += length;
        }
    }

    /// <summary>
    /// The longest run of whitespace, or of non-whitespace, characters that cl100k_base encodes in one piece. Tiktoken's
    /// byte-pair merge is quadratic in a pre-token's length (160,000 letters without a space took 7.4 s), and a pre-token
    /// never spans more than one such run plus one neighbouring run or character, so a longer run is cut into pieces of
    /// this length, which bounds the work per character. No mail of the SpamAssassin corpus has a run above 990.
    /// </summary>
    public const int MaxRunLength = 1000;

    /// <summary>
    /// Trimmed cl100k_base tokens of <paramref name="text"/>; whitespace-only tokens dropped; none for empty text. Text
    /// whose runs are all at most <see cref="MaxRunLength"/> characters is encoded whole, exactly as Tiktoken does; text
    /// with longer runs is encoded segment by segment, cut every <see cref="MaxRunLength"/> characters inside each long run.
    /// </summary>
    public static ReadOnlyMemory<char>[] Cl100kBase(ReadOnlyMemory<char> text)
    {
        if (text.IsEmpty)
            return Array.Empty<ReadOnlyMemory<char>>();
        var tokens = new List<ReadOnlyMemory<char>>();
        foreach (var (start, length) in Segments(text.Span))
        {
            foreach (var token in Cl100k.Value.EncodeToTokens(text.Span.Slice(start, length), out _))
            {
                var value = token.Value.AsMemory().Trim();
                if (!value.IsEmpty)
                    tokens.Add(value);
            }
        }
        return tokens.ToArray();
    }

    /// <summary>
    /// The pieces cl100k_base encodes separately: the whole text when no run of whitespace or of non-whitespace
    /// characters is longer than <see cref="MaxRunLength"/>; otherwise the text cut at every <see cref="MaxRunLength"/>-th
    /// character of each longer run (counted from the run's start; a cut between the halves of a surrogate pair moves one on).
    /// </summary>
    public static List<(int Start, int Length)> Segments(ReadOnlySpan<char> text)
    {
        var segments = new List<(int Start, int Length)>();
        int segmentStart = 0, runStart = 0;
        for (int i = 1; i <= text.Length; i++)
        {
            if (i < text.Length && char.IsWhiteSpace(text[i]) == char.IsWhiteSpace(text[runStart]))
                continue;
            // the run [runStart, i) ends here: cut inside it after every MaxRunLength characters, never inside a surrogate pair
            for (int cut = runStart + MaxRunLength; cut < i; cut += MaxRunLength)
            {
                if (char.IsLowSurrogate(text[cut]) && char.IsHighSurrogate(text[cut - 1]) && ++cut == i)
                    break;
                segments.Add((segmentStart, cut - segmentStart));
                segmentStart = cut;
            }
            runStart = i;
        }
        segments.Add((segmentStart, text.Length - segmentStart));
        return segments;
    }

    /// <summary>Each token once, in order of first occurrence.</summary>
    public static ReadOnlyMemory<char>[] Distinct(ReadOnlySpan<ReadOnlyMemory<char>> tokens) => DistinctTokens.Of(tokens);

    public static void MapWords(TextInput input, TokensOutput output) => output.Tokens = Vector(Words(input.Text));

    public static void MapCl100kBase(TextInput input, TokensOutput output) => output.Tokens = Vector(Cl100kBase(input.Text));

    public static void MapDistinct(TokensInput input, DistinctTokensOutput output) => output.Tokens = Vector(Distinct(input.Tokens.GetValues()));

    private static VBuffer<ReadOnlyMemory<char>> Vector(ReadOnlyMemory<char>[] tokens) => new(tokens.Length, tokens);
}

/// <summary>The text to tokenize (a copy of the input column made for the tokenizer).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class TextInput
{
    /// <summary>The text; a missing value reads as empty.</summary>
    [ColumnName(Tokenization.TextColumn)]
    public ReadOnlyMemory<char> Text { get; set; }
}

/// <summary>The tokens of one text.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class TokensOutput
{
    /// <summary>The tokens, in text order.</summary>
    [ColumnName(Tokenization.TokensColumn)]
    public VBuffer<ReadOnlyMemory<char>> Tokens { get; set; }
}

/// <summary>The tokens of one text, as read by the distinct-token mapping.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class TokensInput
{
    /// <summary>The tokens, in text order.</summary>
    [ColumnName(Tokenization.TokensColumn)]
    public VBuffer<ReadOnlyMemory<char>> Tokens { get; set; }
}

/// <summary>Each token of one text once.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class DistinctTokensOutput
{
    /// <summary>The distinct tokens, in order of first occurrence.</summary>
    [ColumnName(Tokenization.DistinctTokensColumn)]
    public VBuffer<ReadOnlyMemory<char>> Tokens { get; set; }
}

/// <summary>Factory ML.NET finds by contract name when it loads a saved word tokenizer.</summary>
[CustomMappingFactoryAttribute(Tokenization.WordsContract)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class WordTokensFactory : CustomMappingFactory<TextInput, TokensOutput>
{
    /// <inheritdoc />
    public override Action<TextInput, TokensOutput> GetMapping() => Tokenization.MapWords;
}

/// <summary>Factory ML.NET finds by contract name when it loads a saved cl100k_base tokenizer.</summary>
[CustomMappingFactoryAttribute(Tokenization.Cl100kContract)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class Cl100kBaseTokensFactory : CustomMappingFactory<TextInput, TokensOutput>
{
    /// <inheritdoc />
    public override Action<TextInput, TokensOutput> GetMapping() => Tokenization.MapCl100kBase;
}

/// <summary>Factory ML.NET finds by contract name when it loads a saved distinct-token mapping (multi-hot mode).</summary>
[CustomMappingFactoryAttribute(Tokenization.DistinctContract)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class DistinctTokensFactory : CustomMappingFactory<TokensInput, DistinctTokensOutput>
{
    /// <inheritdoc />
    public override Action<TokensInput, DistinctTokensOutput> GetMapping() => Tokenization.MapDistinct;
}
