namespace MlNetDeep;

/// <summary>Options of <see cref="MutualInformationSelectingEstimator"/>: which columns, how slots are scored, which are kept.</summary>
/// <remarks>
/// A slot's score is the mutual information, in nats, between its binned values and the label, estimated from
/// counts over the rows whose label is usable: the plug-in I = Σ p(b,c)·ln(p(b,c) / (p(b)·p(c))) over bins b and
/// classes c, by default with the Miller–Madow bias correction (<see cref="BiasCorrection"/>). The label is a Boolean (2 classes), a key (one class per key value) or a Single/Double
/// (regression: cut into <see cref="NumberOfLabelBins"/> equal-width bins). Rows with a missing key or NaN label are
/// skipped. A NaN feature value falls in a bin of its own; ±∞ fall in the first/last bin. A slot with a single
/// value scores exactly 0; with Miller–Madow a slot independent of the label may score slightly below 0.
/// </remarks>
public sealed class MutualInformationSelectionOptions
{
    /// <summary>The column the kept slots are written to.</summary>
    /// <value>The default value is <c>"Features"</c>.</value>
    public string OutputColumnName { get; set; } = "Features";

    /// <summary>The known-size Single vector column to score; null means <see cref="OutputColumnName"/>.</summary>
    /// <value>The default value is null.</value>
    public string? InputColumnName { get; set; }

    /// <summary>The label column: Boolean, key, Single or Double.</summary>
    /// <value>The default value is <c>"Label"</c>.</value>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>How slots are chosen from their scores.</summary>
    /// <value>The default value is <see cref="MutualInformationSelectionMode.TopCount"/>.</value>
    public MutualInformationSelectionMode Mode { get; set; } = MutualInformationSelectionMode.TopCount;

    /// <summary>How many slots <see cref="MutualInformationSelectionMode.TopCount"/> keeps; more than the column has keeps all of them. Ties go to the lower slot index.</summary>
    /// <value>The default value is 1000 (ML.NET's <c>slotsInOutput</c>).</value>
    public int SlotsInOutput { get; set; } = 1000;

    /// <summary>The percentage of slots <see cref="MutualInformationSelectionMode.TopPercentile"/> keeps, in (0, 100]; the count is rounded up.</summary>
    /// <value>The default value is 10 (scikit-learn's <c>SelectPercentile</c>).</value>
    public double Percentile { get; set; } = 10;

    /// <summary>The score, in nats, a slot must exceed to be kept in <see cref="MutualInformationSelectionMode.ScoreThreshold"/> mode.</summary>
    /// <value>The default value is 0: keep every slot with a positive estimate. Slots independent of the label score about 0
    /// (with Miller–Madow about half of them slightly above), so a threshold a little above 0, e.g. 0.01, drops them.</value>
    public double ScoreThreshold { get; set; }

    /// <summary>How the plug-in estimate's bias is corrected; see <see cref="MutualInformationBiasCorrection"/>.</summary>
    /// <value>The default value is <see cref="MutualInformationBiasCorrection.MillerMadow"/> (on Fashion-MNIST with 784 noise channels,
    /// top-784 keeps 780 real pixels with it and 748 without).</value>
    public MutualInformationBiasCorrection BiasCorrection { get; set; } = MutualInformationBiasCorrection.MillerMadow;

    /// <summary>The number of bins each slot is cut into, 2 to 65,536.</summary>
    /// <value>The default value is 256 (ML.NET's <c>numberOfBins</c>).</value>
    public int NumberOfBins { get; set; } = 256;

    /// <summary>How bin edges are placed.</summary>
    /// <value>The default value is <see cref="BinningStrategy.EqualWidth"/>.</value>
    public BinningStrategy Binning { get; set; } = BinningStrategy.EqualWidth;

    /// <summary>The number of equal-width bins a Single or Double (regression) label is cut into, 2 to 65,536.</summary>
    /// <value>The default value is 10.</value>
    public int NumberOfLabelBins { get; set; } = 10;

    /// <summary>With <see cref="BinningStrategy.Quantile"/>, the number of rows (a seeded reservoir sample) the quantiles are taken from.</summary>
    /// <value>The default value is 10,000.</value>
    public int QuantileSampleSize { get; set; } = 10_000;

    /// <summary>The number of threads counting histograms; null means one per processor.</summary>
    /// <value>The default value is null.</value>
    public int? NumberOfThreads { get; set; }

    /// <summary>
    /// Receives an <see cref="OperationProgress"/> about every 5% of the rows while the histograms are counted (the
    /// long part of Fit), and once when they are complete; null for none.
    /// </summary>
    /// <value>The default value is null.</value>
    public IProgress<OperationProgress>? Progress { get; set; }

    internal MutualInformationSelectionOptions Clone() => (MutualInformationSelectionOptions)MemberwiseClone();
}
