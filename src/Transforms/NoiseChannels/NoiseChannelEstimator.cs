using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Common;
using MlNetDeep.NoiseChannels;

namespace MlNetDeep;

/// <summary>
/// Appends noise channels to a known-size Single vector column, as the lecture concatenates random pixels to
/// MNIST. The noise of a row is a fixed property of that row: a function of the seed and of the row's own feature
/// values (their exact bit patterns), so the same row gets the same noise on every pass, in every cursor, after a
/// shuffle or a cross-validation split, and after <c>Model.Save</c>/<c>Model.Load</c> in another process.
/// </summary>
/// <remarks>
/// <para>What is saved, and so exactly what a loaded model appends: a CopyColumns, the stateless CustomMapping
/// <c>MlNetDeep.RowFingerprint.v1</c> (a 64-bit hash of the row's values), an ONNX graph holding the seed-drawn hash
/// parameters, then a DropColumns. Uniform channel j is ⌊((Σᵢ cᵢ·A[i,j] + B[j]) mod (2³¹−1)) / 128⌋·2⁻²⁴ where
/// c₀…c₃ are the fingerprint's 16-bit chunks and A, B were drawn from <c>new Random(seed)</c> at fit time; it is
/// computed in 64-bit integers, so it is bit-identical on every machine. Gaussian channels are
/// √(−2·ln(u₁+2⁻²⁴))·cos(2π·u₂) of two such uniforms, in Single by ONNX Runtime (the last bits may differ between CPU
/// kinds). Zero channels are exactly 0 and need no fingerprint. ONNX's RandomUniform is not used: it draws new
/// values on every call, so the same row would not keep its noise.</para>
/// <para>Two rows with identical feature values get identical noise (they are the same sample); any difference
/// in any slot, even a sign of zero, gives independent noise. The estimator learns nothing from the data but the
/// column's size and slot names: slot names are the input's (or <c>f0, f1, …</c>) then <c>noise0, noise1, …</c>.</para>
/// </remarks>
public sealed class NoiseChannelEstimator : IEstimator<NoiseChannelTransformer>
{
    private readonly MLContext _ml;
    private readonly NoiseChannelOptions _options;

    /// <summary>Creates the estimator from a copy of <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">One or more options are invalid; the message lists every one.</exception>
    public NoiseChannelEstimator(NoiseChannelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Clone();
        Validate(_options);
        _ml = new MLContext();
    }

    private string InputColumn => _options.InputColumnName ?? _options.OutputColumnName;

    /// <summary>Checks the input column and returns the output schema (a known-size Single vector with slot names).</summary>
    /// <exception cref="ArgumentException">The input column is missing or not a known-size vector of Single.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaChecks.KnownSizeSingleVector(inputSchema, InputColumn);
        return Chain(1, new[] { "f0" }).GetOutputSchema(inputSchema);
    }

    /// <summary>Reads the input column's size and slot names and builds the transformer.</summary>
    /// <exception cref="ArgumentException">The input column is missing or not a known-size vector of Single.</exception>
    public NoiseChannelTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int size = SchemaChecks.KnownSizeSingleVector(input.Schema, InputColumn);
        var inputNames = SlotNameReader.Read(input.Schema[InputColumn], size);
        var chain = ComposedTransformer.FitChain(Chain(size, inputNames), input);
        var names = inputNames.Concat(Enumerable.Range(0, _options.NumberOfChannels).Select(j => "noise" + j.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        return new NoiseChannelTransformer(chain, new SlotRange(size, _options.NumberOfChannels), _options.Kind, _options.Seed, names);
    }

    private IEstimator<ITransformer> Chain(int size, IReadOnlyList<string> inputNames)
    {
        var names = inputNames.Concat(Enumerable.Range(0, _options.NumberOfChannels).Select(j => "noise" + j.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        var graph = NoiseGraph.Build(RowFingerprint.InputColumn, _options.OutputColumnName, size, _options.NumberOfChannels, _options.Kind, _options.Seed, names);
        IEstimator<ITransformer> chain = _ml.Transforms.CopyColumns(RowFingerprint.InputColumn, InputColumn);
        if (_options.Kind == NoiseKind.Zeros)
        {
            return chain.Append(_ml.Transforms.ApplyOnnxModel(new[] { _options.OutputColumnName }, new[] { RowFingerprint.InputColumn }, new MemoryStream(graph)))
                .Append(_ml.Transforms.DropColumns(RowFingerprint.InputColumn));
        }
        return chain
            .Append(_ml.Transforms.CustomMapping<FingerprintInput, FingerprintOutput>(RowFingerprint.Map, RowFingerprint.Contract))
            .Append(_ml.Transforms.ApplyOnnxModel(new[] { _options.OutputColumnName }, new[] { RowFingerprint.InputColumn, RowFingerprint.OutputColumn }, new MemoryStream(graph)))
            .Append(_ml.Transforms.DropColumns(RowFingerprint.InputColumn, RowFingerprint.OutputColumn));
    }

    private static void Validate(NoiseChannelOptions o)
    {
        var errors = new OptionErrors();
        errors.Check(!string.IsNullOrWhiteSpace(o.OutputColumnName), nameof(o.OutputColumnName), "a column name", o.OutputColumnName);
        errors.Check(o.InputColumnName is null || o.InputColumnName.Trim().Length > 0, nameof(o.InputColumnName), "null or a column name", o.InputColumnName);
        errors.Check(o.NumberOfChannels is >= 1 and <= 1_000_000, nameof(o.NumberOfChannels), "1 to 1000000", o.NumberOfChannels);
        errors.Check(Enum.IsDefined(o.Kind), nameof(o.Kind), "Uniform, Gaussian or Zeros", o.Kind);
        errors.ThrowIfAny(nameof(NoiseChannelOptions), "options");
    }
}
