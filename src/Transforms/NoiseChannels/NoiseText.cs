using System.Collections.Concurrent;
using System.ComponentModel;
using System.Globalization;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MlNetDeep.NoiseChannels;

/// <summary>
/// The stateless mapping that writes one row as fixed-width decimal text for <see cref="NoiseExpression"/>: first each
/// input value's IEEE-754 bit pattern (<see cref="BitsWidth"/> digits, 0 to 4,294,967,295), then the row's noise
/// hashes (<see cref="HashWidth"/> digits each, see <see cref="NoiseHash"/>). The seed and the number of hashes come
/// in as a text column ("seed hashes", from a ValueMapping lookup), so the mapping holds no state; the hash
/// parameters are derived from them once per process and cached.
/// Saved by ML.NET as a CustomMapping named <see cref="Contract"/>: the contract name, the row classes, the text
/// layout and this function are a persisted format; never change them, add a "v2".
/// </summary>
internal static class NoiseText
{
    public const string Contract = "MlNetDeep.NoiseText.v1";
    public const string SpecColumn = "__MlNetDeep_NoiseSpec";
    public const string TextColumn = "__MlNetDeep_NoiseText";

    /// <summary>Digits per input value: its 32 bits as an unsigned decimal.</summary>
    public const int BitsWidth = 10;

    /// <summary>Digits per hash: hashes are below 2²⁴ = 16,777,216.</summary>
    public const int HashWidth = 8;

    /// <summary>The most hashes one spec may ask for (two per Gaussian channel, at most 1,000,000 channels).</summary>
    public const int MaxHashes = 2_000_000;

    private const int MaxCachedSpecs = 32;
    private static readonly ConcurrentDictionary<(int Seed, int Hashes), (long[] A, long[] B)> Cache = new();

    /// <summary>The spec text of <paramref name="hashes"/> hashes (0 for zero channels) drawn with <paramref name="seed"/>.</summary>
    public static string Spec(int seed, int hashes) => string.Create(CultureInfo.InvariantCulture, $"{seed} {hashes}");

    /// <summary>The mapping ML.NET runs.</summary>
    public static void Map(NoiseTextInput input, NoiseTextOutput output)
    {
        var (a, b) = ParametersFor(input.Spec.Span);
        var values = input.Values;
        ulong fingerprint = b.Length == 0 ? 0 : RowFingerprint.Compute(values);
        output.Text = string.Create((values.Length * BitsWidth) + (b.Length * HashWidth), (values, fingerprint, a, b), static (span, state) =>
        {
            for (int i = 0; i < state.values.Length; i++)
                WriteDigits((uint)BitConverter.SingleToInt32Bits(state.values[i]), span.Slice(i * BitsWidth, BitsWidth));
            var hashes = span[(state.values.Length * BitsWidth)..];
            for (int k = 0; k < state.b.Length; k++)
                WriteDigits((uint)NoiseHash.Hash(state.fingerprint, state.a, state.b, k), hashes.Slice(k * HashWidth, HashWidth));
        });
    }

    /// <summary>Writes <paramref name="value"/> zero-padded to the cell's width, two digits per division.</summary>
    private static void WriteDigits(uint value, Span<char> cell)
    {
        int d = cell.Length;
        while (d >= 2)
        {
            uint pair = value % 100;
            value /= 100;
            cell[--d] = (char)('0' + (pair % 10));
            cell[--d] = (char)('0' + (pair / 10));
        }
        if (d == 1)
            cell[0] = (char)('0' + (value % 10));
    }

    private static (long[] A, long[] B) ParametersFor(ReadOnlySpan<char> spec)
    {
        int space = spec.IndexOf(' ');
        if (space < 0
            || !int.TryParse(spec[..space], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int seed)
            || !int.TryParse(spec[(space + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int hashes)
            || hashes > MaxHashes)
        {
            throw new InvalidDataException(
                $"Invalid noise-channel spec '{spec.ToString()}' in column {SpecColumn}: expected \"<seed> <hashes>\" with 0 to {MaxHashes} hashes. The model file is damaged.");
        }
        if (Cache.TryGetValue((seed, hashes), out var parameters))
            return parameters;
        if (Cache.Count >= MaxCachedSpecs)
            Cache.Clear();
        return Cache.GetOrAdd((seed, hashes), static key => NoiseHash.Parameters(key.Seed, key.Hashes));
    }
}

/// <summary>The row's values (a copy of the input column) and the noise spec.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class NoiseTextInput
{
    /// <summary>The values.</summary>
    [ColumnName(RowFingerprint.InputColumn)]
    public float[] Values { get; set; } = Array.Empty<float>();

    /// <summary>The seed and the number of hashes, as "seed hashes".</summary>
    [ColumnName(NoiseText.SpecColumn)]
    public ReadOnlyMemory<char> Spec { get; set; }
}

/// <summary>The row as fixed-width decimal text: the values' bit patterns, then the noise hashes.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class NoiseTextOutput
{
    /// <summary>The text.</summary>
    [ColumnName(NoiseText.TextColumn)]
    public string Text { get; set; } = "";
}

/// <summary>Factory ML.NET finds by contract name when it loads a saved noise-channel transform.</summary>
[CustomMappingFactoryAttribute(NoiseText.Contract)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class NoiseTextFactory : CustomMappingFactory<NoiseTextInput, NoiseTextOutput>
{
    /// <inheritdoc />
    public override Action<NoiseTextInput, NoiseTextOutput> GetMapping() => NoiseText.Map;
}
