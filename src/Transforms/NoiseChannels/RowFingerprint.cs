using System.ComponentModel;
using System.Numerics;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MlNetDeep.NoiseChannels;

/// <summary>
/// A stateless 64-bit fingerprint of a row's feature values (their IEEE-754 bit patterns, in slot order): the key
/// every noise hash is computed from (<see cref="NoiseHash"/>). The function is a persisted format: never change it.
/// The CustomMapping <see cref="Contract"/> (the fingerprint as four 16-bit chunks in Single values) fed the ONNX noise
/// graph of earlier versions; new models no longer use it, and its factory stays so models saved then still load.
/// </summary>
internal static class RowFingerprint
{
    public const string Contract = "MlNetDeep.RowFingerprint.v1";
    public const string InputColumn = "__MlNetDeep_NoiseInput";
    public const string OutputColumn = "__MlNetDeep_RowFingerprint";
    public const int Chunks = 4;

    private const ulong Prime1 = 0x9E3779B185EBCA87UL;
    private const ulong Prime2 = 0xC2B2AE3D27D4EB4FUL;
    private const ulong Prime3 = 0x165667B19E3779F9UL;

    /// <summary>The fingerprint: an xxHash64-style round per value, then an avalanche.</summary>
    public static ulong Compute(ReadOnlySpan<float> values)
    {
        ulong h = Prime3 ^ (ulong)values.Length;
        foreach (var v in values)
        {
            ulong w = (uint)BitConverter.SingleToInt32Bits(v);
            h ^= BitOperations.RotateLeft(w * Prime2, 31) * Prime1;
            h = (BitOperations.RotateLeft(h, 27) * Prime1) + Prime3;
        }
        h ^= h >> 33;
        h *= Prime2;
        h ^= h >> 29;
        h *= Prime3;
        h ^= h >> 32;
        return h;
    }

    /// <summary>The mapping of <see cref="Contract"/>: fingerprint → four 16-bit chunks, least significant first.</summary>
    public static void Map(FingerprintInput input, FingerprintOutput output)
    {
        ulong h = Compute(input.Values);
        var chunks = output.Chunks.Length == Chunks ? output.Chunks : new float[Chunks];
        for (int i = 0; i < Chunks; i++)
            chunks[i] = (ushort)(h >> (16 * i));
        output.Chunks = chunks;
    }
}

/// <summary>The row's feature values (a copy of the input column made for the fingerprint).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class FingerprintInput
{
    /// <summary>The values.</summary>
    [ColumnName(RowFingerprint.InputColumn)]
    public float[] Values { get; set; } = Array.Empty<float>();
}

/// <summary>The row fingerprint as four 16-bit chunks (integers 0–65535 held exactly in Single).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class FingerprintOutput
{
    /// <summary>The chunks, least significant first.</summary>
    [ColumnName(RowFingerprint.OutputColumn)]
    [VectorType(RowFingerprint.Chunks)]
    public float[] Chunks { get; set; } = new float[RowFingerprint.Chunks];
}

/// <summary>Factory ML.NET finds by contract name when it loads a noise-channel transform saved by an earlier version.</summary>
[CustomMappingFactoryAttribute(RowFingerprint.Contract)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RowFingerprintFactory : CustomMappingFactory<FingerprintInput, FingerprintOutput>
{
    /// <inheritdoc />
    public override Action<FingerprintInput, FingerprintOutput> GetMapping() => RowFingerprint.Map;
}
