using MlNetDeep.Onnx;

namespace MlNetDeep.NoiseChannels;

/// <summary>
/// The ONNX graph that appends the channels. Uniform channel j of a row with fingerprint chunks c₀…c₃ is
/// u_j = ⌊((Σᵢ cᵢ·A[i,j] + B[j]) mod P) / 128⌋ · 2⁻²⁴ with P = 2³¹ − 1 and A, B drawn once from
/// <c>new Random(seed)</c> and stored in the graph — a universal hash of the fingerprint, computed in 64-bit integers
/// (exact, whatever the summation order), so every process and machine appends bit-identical uniform noise.
/// Gaussian channels use two such uniforms per channel: √(−2·ln(u₁ + 2⁻²⁴))·cos(2π·u₂) (in Single, by ONNX Runtime's
/// Log/Sqrt/Cos kernels). Zero channels are a constant. The output carries slot names through ML.NET's ONNX
/// convention (a LabelEncoder node named <c>mlnet.&lt;column&gt;.SlotNames</c>).
/// </summary>
internal static class NoiseGraph
{
    public const long Modulus = int.MaxValue; // 2^31 - 1, a prime
    public const long Divisor = 128;          // (2^31 - 1) / 128 < 2^24
    public const float Step = 1f / (1 << 24);

    /// <summary>The hash parameters: A is [4, m] row-major, B is [m], with m = k (uniform) or 2k (Gaussian).</summary>
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

    /// <summary>Hash value j of a fingerprint (the same integers the graph computes): an integer in [0, 2^24).</summary>
    public static long Hash(ReadOnlySpan<float> chunks, long[] a, long[] b, int j)
    {
        int m = b.Length;
        long sum = b[j];
        for (int i = 0; i < RowFingerprint.Chunks; i++)
            sum += (long)chunks[i] * a[(i * m) + j];
        return sum % Modulus / Divisor;
    }

    public static byte[] Build(string inputName, string outputName, int size, int channels, NoiseKind kind, int seed, IReadOnlyList<string> slotNames)
    {
        var g = new OnnxGraph("MlNetDeep.NoiseChannels")
            .Input(inputName, OnnxType.Float, 1, size)
            .Output(outputName, OnnxType.Float, size + channels);
        if (kind == NoiseKind.Zeros)
        {
            g.Initializer("zeros", new float[channels], 1, channels);
            g.Node("Concat", new[] { inputName, "zeros" }, new[] { "joined" }, attributes: OnnxAttribute.Int("axis", 1));
        }
        else
        {
            int hashes = kind == NoiseKind.Gaussian ? 2 * channels : channels;
            var (a, b) = Parameters(seed, hashes);
            g.Input(RowFingerprint.OutputColumn, OnnxType.Float, 1, RowFingerprint.Chunks)
                .Initializer("A", a, RowFingerprint.Chunks, hashes)
                .Initializer("B", b, 1, hashes)
                .Initializer("P", new[] { Modulus }, 1)
                .Initializer("D", new[] { Divisor }, 1)
                .Initializer("step", new[] { Step }, 1)
                .Node("Cast", new[] { RowFingerprint.OutputColumn }, new[] { "c" }, attributes: OnnxAttribute.Int("to", (long)OnnxType.Int64))
                .Node("MatMul", new[] { "c", "A" }, new[] { "ca" })
                .Node("Add", new[] { "ca", "B" }, new[] { "h" })
                .Node("Mod", new[] { "h", "P" }, new[] { "hm" }, attributes: OnnxAttribute.Int("fmod", 0))
                .Node("Div", new[] { "hm", "D" }, new[] { "q" })
                .Node("Cast", new[] { "q" }, new[] { "qf" }, attributes: OnnxAttribute.Int("to", (long)OnnxType.Float))
                .Node("Mul", new[] { "qf", "step" }, new[] { "u" });
            if (kind == NoiseKind.Uniform)
            {
                g.Node("Concat", new[] { inputName, "u" }, new[] { "joined" }, attributes: OnnxAttribute.Int("axis", 1));
            }
            else
            {
                g.Initializer("split", new long[] { channels, channels }, 2)
                    .Initializer("minus2", new[] { -2f }, 1)
                    .Initializer("twoPi", new[] { 2f * MathF.PI }, 1)
                    .Node("Split", new[] { "u", "split" }, new[] { "u1raw", "u2" }, attributes: OnnxAttribute.Int("axis", 1))
                    .Node("Add", new[] { "u1raw", "step" }, new[] { "u1" })
                    .Node("Log", new[] { "u1" }, new[] { "logU1" })
                    .Node("Mul", new[] { "logU1", "minus2" }, new[] { "r2" })
                    .Node("Sqrt", new[] { "r2" }, new[] { "r" })
                    .Node("Mul", new[] { "u2", "twoPi" }, new[] { "theta" })
                    .Node("Cos", new[] { "theta" }, new[] { "cosTheta" })
                    .Node("Mul", new[] { "r", "cosTheta" }, new[] { "gauss" })
                    .Node("Concat", new[] { inputName, "gauss" }, new[] { "joined" }, attributes: OnnxAttribute.Int("axis", 1));
            }
        }
        g.Initializer("outShape", new long[] { size + channels }, 1)
            .Node("Reshape", new[] { "joined", "outShape" }, new[] { outputName });
        // ML.NET reads a SlotNames annotation for output <col> from a LabelEncoder node named mlnet.<col>.SlotNames
        g.Initializer("slotNamesProbe", new[] { "" }, 1)
            .Node("LabelEncoder", new[] { "slotNamesProbe" }, new[] { "mlnet." + outputName + ".unusedOutput" }, "mlnet." + outputName + ".SlotNames", "ai.onnx.ml",
                OnnxAttribute.Strings("keys_strings", slotNames),
                OnnxAttribute.Ints("values_int64s", Enumerable.Range(0, slotNames.Count).Select(i => (long)i)),
                OnnxAttribute.Int("default_int64", -1));
        return g.ToBytes();
    }
}
