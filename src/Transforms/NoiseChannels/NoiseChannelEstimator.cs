using System.Globalization;
using Microsoft.ML;
using MlNetDeep.Common;
using MlNetDeep.NoiseChannels;
using MlNetDeep.State;

namespace MlNetDeep;

/// <summary>
/// Appends noise channels to a known-size Single vector column, as the lecture concatenates random pixels to
/// MNIST. The noise of a row is a fixed property of that row: a function of the seed and of the row's own feature
/// values (their exact bit patterns), so the same row gets the same noise on every pass, in every cursor, after a
/// shuffle or a cross-validation split, and after <c>Model.Save</c>/<c>Model.Load</c> in another process.
/// </summary>
/// <remarks>
/// <para>What is saved, and so exactly what a loaded model computes: only ML.NET's own transformers and one stateless
/// CustomMapping, nothing native and no temporary files, so disposing a <c>PredictionEngine</c> leaves the model
/// intact and an engine per thread is safe. A ValueMapping lookup holds the spec ("seed hashes") and a template of
/// the n + k output slots with their slot names; the CustomMapping <c>MlNetDeep.NoiseText.v1</c> writes each row as
/// fixed-width text (its values' bit patterns, then its noise hashes); ML.NET's Expression transform fills the
/// template slot by slot from that text, which gives a known-size vector with slot names.</para>
/// <para>Hash k of a row is ⌊((Σᵢ cᵢ·A[i,k] + B[k]) mod (2³¹−1)) / 128⌋ where c₀…c₃ are the 16-bit chunks of a 64-bit
/// fingerprint of the row's values and A, B are drawn from <c>new Random(seed)</c>; it is computed in 64-bit integers.
/// Uniform channel j is hash j·2⁻²⁴, bit-identical on every machine. Gaussian channel j is
/// √(−2·ln u₁)·cos(2π·u₂) with u₁ = (hash j + 1)·2⁻²⁴ and u₂ = hash (k + j)·2⁻²⁴, each step rounded to Single; ln and
/// cos come from the platform's math library and may differ in the last bit between platforms. Zero channels are
/// exactly 0. The input slots are copied exactly (a NaN keeps no payload). Uniform and zero channels equal those of
/// the ONNX graph of earlier versions bit for bit; Gaussian ones differ by at most a few units in the last place.</para>
/// <para>Two rows with identical feature values get identical noise (they are the same sample); any difference
/// in any slot, even a sign of zero, gives independent noise. The estimator learns nothing from the data but the
/// column's size and slot names: slot names are the input's (or <c>f0, f1, …</c>) then <c>noise0, noise1, …</c>.
/// Input and channels together may have at most 2²⁴ slots.</para>
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

    private const string TemplateColumn = "__MlNetDeep_NoiseSlots";

    private string InputColumn => _options.InputColumnName ?? _options.OutputColumnName;

    /// <summary>Checks the input column and returns the output schema (a known-size Single vector with slot names).</summary>
    /// <exception cref="ArgumentException">The input column is missing or not a known-size vector of Single.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaChecks.KnownSizeSingleVector(inputSchema, InputColumn);
        return Chain(1, NoiseNames().Prepend("f0").ToArray()).GetOutputSchema(inputSchema);
    }

    /// <summary>Reads the input column's size and slot names and builds the transformer.</summary>
    /// <exception cref="ArgumentException">
    /// The input column is missing or not a known-size vector of Single, or it and the channels add up to more than 16,777,216 slots.
    /// </exception>
    public NoiseChannelTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int size = SchemaChecks.KnownSizeSingleVector(input.Schema, InputColumn);
        if ((long)size + _options.NumberOfChannels > NoiseExpression.MaxSlots)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Column '{InputColumn}' has {size} slots: with {_options.NumberOfChannels} channels the output would have {(long)size + _options.NumberOfChannels}; at most {NoiseExpression.MaxSlots} are supported."), nameof(input));
        }
        var names = SlotNameReader.Read(input.Schema[InputColumn], size).Concat(NoiseNames()).ToArray();
        var chain = ComposedTransformer.FitChain(Chain(size, names), input);
        return new NoiseChannelTransformer(chain, new SlotRange(size, _options.NumberOfChannels), _options.Kind, _options.Seed, names);
    }

    private IEnumerable<string> NoiseNames() => Enumerable.Range(0, _options.NumberOfChannels).Select(j => "noise" + j.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// The standard transformers: a ValueMapping lookup of the spec text and of the output template (0…n+k−1, with the
    /// output's slot names), the stateless <see cref="NoiseText"/> CustomMapping, and the Expression that fills the
    /// template from the row's text; temporary columns are dropped.
    /// </summary>
    private IEstimator<ITransformer> Chain(int size, string[] slotNames)
    {
        int hashes = _options.Kind switch { NoiseKind.Uniform => _options.NumberOfChannels, NoiseKind.Gaussian => 2 * _options.NumberOfChannels, _ => 0 };
        var template = Enumerable.Range(0, slotNames.Length).Select(i => (float)i).ToArray();
        return StateLookup.Key(_ml)
            .Append(StateLookup.Text(_ml, NoiseText.SpecColumn, NoiseText.Spec(_options.Seed, hashes)))
            .Append(StateLookup.NamedVector(_ml, TemplateColumn, template, slotNames))
            .Append(_ml.Transforms.CopyColumns(RowFingerprint.InputColumn, InputColumn))
            .Append(_ml.Transforms.CustomMapping<NoiseTextInput, NoiseTextOutput>(NoiseText.Map, NoiseText.Contract))
            .Append(_ml.Transforms.Expression(_options.OutputColumnName, NoiseExpression.For(_options.Kind, size, _options.NumberOfChannels), TemplateColumn, NoiseText.TextColumn))
            .Append(_ml.Transforms.DropColumns(StateLookup.KeyColumn, NoiseText.SpecColumn, TemplateColumn, RowFingerprint.InputColumn, NoiseText.TextColumn));
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
