using System.Text.RegularExpressions;
using Microsoft.ML.Data;
using Microsoft.ML.Tokenizers;
using Microsoft.ML.Transforms;

namespace MlNetDeep.BagOfWords;

/// <summary>
/// The stateless text → token mappings of the bag-of-words, saved by ML.NET as CustomMappings by contract name.
/// The contract names, row classes and functions are a persisted format: never change one, add a "v2".
/// </summary>
internal static partial class Tokenization
{
    public const string WordsContract = "MlNetDeep.BagOfWords.WordTokens.v1";
    public const string Cl100kContract = "MlNetDeep.BagOfWords.Cl100kBaseTokens.v1";
    public const string DistinctContract = "MlNetDeep.BagOfWords.DistinctTokens.v1";

    public const string TextColumn = "__MlNetDeep_BowText";
    public const string TokensColumn = "__MlNetDeep_BowTokens";
    public const string DistinctTokensColumn = "__MlNetDeep_BowDistinctTokens";
    public const string KeysColumn = "__MlNetDeep_BowKeys";
    public const string CountsColumn = "__MlNetDeep_BowCounts";

    private static readonly RegexPreTokenizer WordSplitter = new(WordRegex(), null);
    private static readonly LowerCaseNormalizer Lower = new();
    private static readonly Lazy<Tokenizer> Cl100k = new(() => TiktokenTokenizer.CreateForEncoding("cl100k_base"));

    [GeneratedRegex(@"[\p{L}\p{M}\p{N}]+", RegexOptions.CultureInvariant)]
    private static partial Regex WordRegex();

    /// <summary>Lower-cased words of <paramref name="text"/>; none for null or empty text.</summary>
    public static string[] Words(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return Array.Empty<string>();
        var lower = Lower.Normalize(text);
        var tokens = new List<string>();
        foreach (var (offset, length) in WordSplitter.PreTokenize(lower))
            tokens.Add(lower.Substring(offset, length));
        return tokens.ToArray();
    }

    /// <summary>Trimmed cl100k_base tokens of <paramref name="text"/>; whitespace-only tokens dropped; none for null or empty text.</summary>
    public static string[] Cl100kBase(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return Array.Empty<string>();
        var tokens = new List<string>();
        foreach (var token in Cl100k.Value.EncodeToTokens(text, out _))
        {
            var value = token.Value.Trim();
            if (value.Length > 0)
                tokens.Add(value);
        }
        return tokens.ToArray();
    }

    /// <summary>Each token once, in order of first occurrence.</summary>
    public static string[] Distinct(string[]? tokens) => tokens is null ? Array.Empty<string>() : tokens.Distinct(StringComparer.Ordinal).ToArray();

    public static void MapWords(TextInput input, TokensOutput output) => output.Tokens = Words(input.Text);

    public static void MapCl100kBase(TextInput input, TokensOutput output) => output.Tokens = Cl100kBase(input.Text);

    public static void MapDistinct(TokensInput input, DistinctTokensOutput output) => output.Tokens = Distinct(input.Tokens);
}

/// <summary>The text to tokenize (a copy of the input column made for the tokenizer).</summary>
public sealed class TextInput
{
    /// <summary>The text; null reads as empty.</summary>
    [ColumnName(Tokenization.TextColumn)]
    public string? Text { get; set; }
}

/// <summary>The tokens of one text.</summary>
public sealed class TokensOutput
{
    /// <summary>The tokens, in text order.</summary>
    [ColumnName(Tokenization.TokensColumn)]
    public string[] Tokens { get; set; } = Array.Empty<string>();
}

/// <summary>The tokens of one text, as read by the distinct-token mapping.</summary>
public sealed class TokensInput
{
    /// <summary>The tokens, in text order.</summary>
    [ColumnName(Tokenization.TokensColumn)]
    public string[]? Tokens { get; set; }
}

/// <summary>Each token of one text once.</summary>
public sealed class DistinctTokensOutput
{
    /// <summary>The distinct tokens, in order of first occurrence.</summary>
    [ColumnName(Tokenization.DistinctTokensColumn)]
    public string[] Tokens { get; set; } = Array.Empty<string>();
}

/// <summary>Factory ML.NET finds by contract name when it loads a saved word tokenizer.</summary>
[CustomMappingFactoryAttribute(Tokenization.WordsContract)]
public sealed class WordTokensFactory : CustomMappingFactory<TextInput, TokensOutput>
{
    /// <inheritdoc />
    public override Action<TextInput, TokensOutput> GetMapping() => Tokenization.MapWords;
}

/// <summary>Factory ML.NET finds by contract name when it loads a saved cl100k_base tokenizer.</summary>
[CustomMappingFactoryAttribute(Tokenization.Cl100kContract)]
public sealed class Cl100kBaseTokensFactory : CustomMappingFactory<TextInput, TokensOutput>
{
    /// <inheritdoc />
    public override Action<TextInput, TokensOutput> GetMapping() => Tokenization.MapCl100kBase;
}

/// <summary>Factory ML.NET finds by contract name when it loads a saved distinct-token mapping (multi-hot mode).</summary>
[CustomMappingFactoryAttribute(Tokenization.DistinctContract)]
public sealed class DistinctTokensFactory : CustomMappingFactory<TokensInput, DistinctTokensOutput>
{
    /// <inheritdoc />
    public override Action<TokensInput, DistinctTokensOutput> GetMapping() => Tokenization.MapDistinct;
}
