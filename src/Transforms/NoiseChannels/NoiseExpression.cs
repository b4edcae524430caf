using System.Globalization;

namespace MlNetDeep.NoiseChannels;

/// <summary>
/// The ML.NET Expression that writes the output column. Its vector input is a template of all n + k output slots
/// holding 0, 1, …, n+k−1 with the output's slot names, so the output keeps that known size and those names (ML.NET's
/// Concatenate would prefix every name with its source column's); its text input is the row written by
/// <see cref="NoiseText"/>. The constants are literals of the saved expression.
/// <list type="bullet">
/// <item>Input slot i (i &lt; n) is rebuilt exactly from its bit pattern b: m = b mod 2²³, e = ⌊b / 2²³⌋ mod 2⁸, then
/// ±(e = 0 ? m : m + 2²³)·2^(max(e, 1) − 150) in Single (both factors and the product are exact), ±∞ for e = 255
/// and m = 0, NaN otherwise (NaN payloads are not kept).</item>
/// <item>Uniform channel j is h_j · 2⁻²⁴ (exact).</item>
/// <item>Gaussian channel j is the Box–Muller value √(−2·ln u₁)·cos(2π·u₂) of u₁ = (h_j + 1)·2⁻²⁴ and
/// u₂ = h_{k+j}·2⁻²⁴, each step rounded to Single as in the ONNX graph of earlier versions (ML.NET computes ln, √ and
/// cos in double and rounds the result).</item>
/// <item>Zero channels are 0.</item>
/// </list>
/// </summary>
internal static class NoiseExpression
{
    /// <summary>The largest output the template can index exactly: slot indices are Single.</summary>
    public const int MaxSlots = 1 << 24;

    private const string Scale = "16777216.0"; // 2^24, a Single literal

    /// <summary>The expression for an input of <paramref name="size"/> slots and <paramref name="channels"/> channels of <paramref name="kind"/>.</summary>
    public static string For(NoiseKind kind, int size, int channels)
    {
        const int bw = NoiseText.BitsWidth, hw = NoiseText.HashWidth;
        string input = string.Create(CultureInfo.InvariantCulture,
            $"with(b = long(mid(text, i * {bw}, i * {bw} + {bw})), m = b % 8388608L, e = b / 8388608L % 256L, negative = b >= 2147483648L, " +
            $"v = float(e == 0 ? m : m + 8388608L) * 2.0 ^ float((e == 0 ? 1L : e) - 150L); " +
            $"e == 255 ? (m == 0 ? 1.0 / 0.0 : na(v)) * (negative ? -1.0 : 1.0) : negative ? -v : v)");
        int hashes = size * bw;
        string noise = kind switch
        {
            NoiseKind.Uniform => string.Create(CultureInfo.InvariantCulture,
                $"with(o = {hashes} + (i - {size}) * {hw}; float(int(mid(text, o, o + {hw}))) / {Scale})"),
            NoiseKind.Gaussian => string.Create(CultureInfo.InvariantCulture,
                $"with(o = {hashes} + (i - {size}) * {hw}, " +
                $"u1 = float(int(mid(text, o, o + {hw})) + 1) / {Scale}, " +
                $"u2 = float(int(mid(text, o + {channels * hw}, o + {(channels + 1) * hw}))) / {Scale}; " +
                $"sqrt(ln(u1) * -2.0) * cos(u2 * {(2f * MathF.PI).ToString("R", CultureInfo.InvariantCulture)}))"),
            _ => "0.0",
        };
        return string.Create(CultureInfo.InvariantCulture, $"(slot, text) => with(i = int(slot); i < {size} ? {input} : {noise})");
    }
}
