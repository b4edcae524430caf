namespace MlNetDeep;

/// <summary>Options of <see cref="LabelShufflingCatalog.ShuffleLabels(Microsoft.ML.DataOperationsCatalog, Microsoft.ML.IDataView, ShuffleLabelsOptions)"/>.</summary>
public sealed class ShuffleLabelsOptions
{
    /// <summary>The scalar column whose values are permuted across rows.</summary>
    /// <value>The default value is <c>"Label"</c>.</value>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>The seed of the permutation (<c>new Random(seed)</c>, Fisher–Yates): the same seed and data give the same permutation.</summary>
    /// <value>The default value is 0.</value>
    public int Seed { get; set; }
}
