namespace MlNetDeep;

/// <summary>How a continuous slot is cut into bins before its mutual information with the label is counted.</summary>
public enum BinningStrategy
{
    /// <summary>Bins of equal width between the slot's smallest and largest finite value (256 bins of integer pixels 0–255 give one bin per value).</summary>
    EqualWidth,

    /// <summary>Bins holding about the same number of values: edges at the slot's quantiles, equal edges merged.</summary>
    Quantile,
}
