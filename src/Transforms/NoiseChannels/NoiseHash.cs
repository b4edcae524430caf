namespace MlNetDeep.NoiseChannels;

/// <summary>
/// The seeded universal hash behind every noise channel. Hash k of a row is
/// h_k = ⌊((Σᵢ cᵢ·A[i,k] + B[k]) mod P) / 128⌋, an integer in [0, 2²⁴), where c₀…c₃ are the 16-bit chunks of the
/// row's <see cref="RowFingerprint"/>, P = 2³¹ − 1, and A ([4, m], row-major) and B ([m]) are drawn from
/// <c>new Random(seed)</c>. It is computed in 64-bit integers, so every process and machine gets the same integers;
/// the draws and the formula are those of the ONNX graph of earlier versions, so uniform noise is unchanged.
/// </summary>
internal static class NoiseHash
{
    public const long Modulus = int.MaxValue; // 2^31 - 1, a prime
    public const long Divisor = 128;          // (2^31 - 1) / 128 < 2^24

    /// <summary>The hash parameters for <paramref name="hashes"/> hashes: A is [4, m] row-major, B is [m].</summary>
    public static (long[] A, long[] B) Parameters(int seed, int hashes)
    {
        var random = new Random(seed);
        var a = new long[RowFingerprint.Chunks * hashes];
        var b = new long[hashes];
        for (int i = 0; i < a.Length; i++)
            a[i] = 1 + random.NextInt64(Modulus - 1);
        for (int j = 0; j < b.Length; j++)
            b[j] = random.NextInt64(Modulus);
        return (a, b);
    }

    /// <summary>Hash <paramref name="k"/> of a row whose fingerprint is <paramref name="fingerprint"/>: an integer in [0, 2²⁴).</summary>
    public static int Hash(ulong fingerprint, long[] a, long[] b, int k)
    {
        int m = b.Length;
        long sum = b[k];
        for (int i = 0; i < RowFingerprint.Chunks; i++)
            sum += (long)(ushort)(fingerprint >> (16 * i)) * a[(i * m) + k];
        return (int)(sum % Modulus / Divisor);
    }
}
