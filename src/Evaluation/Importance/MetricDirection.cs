namespace MlNetDeep;

/// <summary>Which of ML.NET's metrics are errors or losses (lower is better).</summary>
internal static class MetricDirection
{
    private static readonly HashSet<string> Lower = new(StringComparer.Ordinal)
    {
        "LogLoss", "Entropy", "MeanAbsoluteError", "MeanSquaredError", "RootMeanSquaredError", "LossFunction",
    };

    public static bool LowerIsBetter(string metricName) => Lower.Contains(metricName);
}
