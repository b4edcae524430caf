using Microsoft.ML;
using MlNetDeep.Common;
using MlNetDeep.MutualInformation;

namespace MlNetDeep;

/// <summary>
/// Scores every slot of a known-size Single vector column by its mutual information with the label and keeps the
/// best slots (<see cref="MutualInformationSelectionOptions"/> says how). Unlike ML.NET's
/// <c>SelectFeaturesBasedOnMutualInformation</c>, the fitted transformer shows the scores; the kept slots are saved
/// as ML.NET's own <c>SlotsDroppingTransformer</c>, so a saved model needs nothing from MlNetDeep to load.
/// </summary>
public sealed class MutualInformationSelectingEstimator : IEstimator<MutualInformationSelectingTransformer>
{
    private readonly MLContext _ml;
    private readonly MutualInformationSelectionOptions _options;

    /// <summary>Creates the estimator from a copy of <paramref name="options"/> (later changes to it are not seen).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">One or more options are invalid; the message lists every one.</exception>
    public MutualInformationSelectingEstimator(MutualInformationSelectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Clone();
        Validate(_options);
        _ml = new MLContext();
    }

    private string InputColumn => _options.InputColumnName ?? _options.OutputColumnName;

    /// <summary>Checks the feature and label columns and returns the output schema (a known-size Single vector).</summary>
    /// <exception cref="ArgumentException">A column is missing or of a type the estimator cannot use.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaChecks.KnownSizeSingleVector(inputSchema, InputColumn);
        var label = SchemaChecks.Find(inputSchema, _options.LabelColumnName, "label");
        bool usable = label.Kind == SchemaShape.Column.VectorKind.Scalar
            && (label.IsKey || label.ItemType == Microsoft.ML.Data.BooleanDataViewType.Instance
                || label.ItemType == Microsoft.ML.Data.NumberDataViewType.Single || label.ItemType == Microsoft.ML.Data.NumberDataViewType.Double);
        if (!usable)
            throw SchemaChecks.WrongType(_options.LabelColumnName, "Boolean, a UInt32 key of known count, Single or Double", SchemaChecks.Describe(label), "label");
        return _ml.Transforms.FeatureSelection.SelectFeaturesBasedOnCount(_options.OutputColumnName, InputColumn, count: 1).GetOutputSchema(inputSchema);
    }

    /// <summary>Scores the slots on <paramref name="input"/> and builds the transformer keeping the chosen ones.</summary>
    /// <exception cref="ArgumentException">A column is missing or of a type the estimator cannot use.</exception>
    /// <exception cref="InvalidOperationException">No row has a usable label, or the selection keeps no slot (threshold mode with no score above the threshold).</exception>
    public MutualInformationSelectingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var scores = new MutualInformationScorer(_options, InputColumn).Score(input);
        var selected = Select(scores, _options);
        if (selected.Length == 0)
            throw new InvalidOperationException(
                $"No slot of column '{InputColumn}' has a mutual-information score above the threshold {_options.ScoreThreshold.ToString(System.Globalization.CultureInfo.InvariantCulture)} " +
                $"(the highest score is {scores.DefaultIfEmpty(0).Max().ToString("R", System.Globalization.CultureInfo.InvariantCulture)}); lower ScoreThreshold to keep at least one slot.");
        var slotNames = SlotNameReader.Read(input.Schema[InputColumn], scores.Length);
        var keep = SlotSelection.Keep(_ml, _options.OutputColumnName, InputColumn, scores.Length, selected);
        return new MutualInformationSelectingTransformer(new Microsoft.ML.Data.TransformerChain<ITransformer>(keep), scores, selected, slotNames);
    }

    /// <summary>The kept slots, ascending, for the given scores.</summary>
    internal static int[] Select(double[] scores, MutualInformationSelectionOptions options)
    {
        int count = options.Mode switch
        {
            MutualInformationSelectionMode.TopCount => Math.Min(options.SlotsInOutput, scores.Length),
            MutualInformationSelectionMode.TopPercentile => (int)Math.Min(scores.Length, Math.Max(1, Math.Ceiling((scores.Length * options.Percentile / 100.0) - 1e-9))),
            _ => scores.Count(s => s > options.ScoreThreshold),
        };
        // highest score first, ties to the lower slot index
        var order = Enumerable.Range(0, scores.Length).OrderByDescending(j => scores[j]).ThenBy(j => j);
        var kept = order.Take(count).ToArray();
        Array.Sort(kept);
        return kept;
    }

    private static void Validate(MutualInformationSelectionOptions o)
    {
        var errors = new OptionErrors();
        errors.Check(!string.IsNullOrWhiteSpace(o.OutputColumnName), nameof(o.OutputColumnName), "a column name", o.OutputColumnName);
        errors.Check(o.InputColumnName is null || o.InputColumnName.Trim().Length > 0, nameof(o.InputColumnName), "null or a column name", o.InputColumnName);
        errors.Check(!string.IsNullOrWhiteSpace(o.LabelColumnName), nameof(o.LabelColumnName), "a column name", o.LabelColumnName);
        errors.Check(Enum.IsDefined(o.Mode), nameof(o.Mode), "a defined MutualInformationSelectionMode", o.Mode);
        errors.Check(o.SlotsInOutput >= 1, nameof(o.SlotsInOutput), "at least 1", o.SlotsInOutput);
        errors.Check(o.Percentile > 0 && o.Percentile <= 100, nameof(o.Percentile), "a percentage in (0, 100]", o.Percentile);
        errors.Check(double.IsFinite(o.ScoreThreshold), nameof(o.ScoreThreshold), "a finite number of nats", o.ScoreThreshold);
        errors.Check(Enum.IsDefined(o.BiasCorrection), nameof(o.BiasCorrection), "None or MillerMadow", o.BiasCorrection);
        errors.Check(o.NumberOfBins is >= 2 and <= 65536, nameof(o.NumberOfBins), "2 to 65536", o.NumberOfBins);
        errors.Check(Enum.IsDefined(o.Binning), nameof(o.Binning), "a defined BinningStrategy", o.Binning);
        errors.Check(o.NumberOfLabelBins is >= 2 and <= 65536, nameof(o.NumberOfLabelBins), "2 to 65536", o.NumberOfLabelBins);
        errors.Check(o.QuantileSampleSize >= 1, nameof(o.QuantileSampleSize), "at least 1", o.QuantileSampleSize);
        errors.Check(o.NumberOfThreads is null or >= 1, nameof(o.NumberOfThreads), "null or at least 1", o.NumberOfThreads);
        errors.ThrowIfAny(nameof(MutualInformationSelectionOptions), "options");
    }
}
