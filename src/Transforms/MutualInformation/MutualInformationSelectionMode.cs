namespace MlNetDeep;

/// <summary>How <see cref="MutualInformationSelectingEstimator"/> chooses the slots it keeps from their scores.</summary>
public enum MutualInformationSelectionMode
{
    /// <summary>Keep the <see cref="MutualInformationSelectionOptions.SlotsInOutput"/> highest-scoring slots (scikit-learn <c>SelectKBest</c>).</summary>
    TopCount,

    /// <summary>Keep the highest-scoring <see cref="MutualInformationSelectionOptions.Percentile"/> percent of the slots, rounded up (scikit-learn <c>SelectPercentile</c>).</summary>
    TopPercentile,

    /// <summary>Keep every slot whose score is strictly above <see cref="MutualInformationSelectionOptions.ScoreThreshold"/> (the lecture's threshold).</summary>
    ScoreThreshold,
}
