using Microsoft.ML.Data;

namespace MlNetDeep;

/// <summary>Flattens ML.NET's metrics objects into named numbers (the property names ML.NET uses).</summary>
internal static class MetricValues
{
    public static IReadOnlyDictionary<string, double> Of(BinaryClassificationMetrics m)
    {
        var values = new Dictionary<string, double>
        {
            ["Accuracy"] = m.Accuracy,
            ["AreaUnderRocCurve"] = m.AreaUnderRocCurve,
            ["AreaUnderPrecisionRecallCurve"] = m.AreaUnderPrecisionRecallCurve,
            ["F1Score"] = m.F1Score,
            ["PositivePrecision"] = m.PositivePrecision,
            ["PositiveRecall"] = m.PositiveRecall,
            ["NegativePrecision"] = m.NegativePrecision,
            ["NegativeRecall"] = m.NegativeRecall,
        };
        if (m is CalibratedBinaryClassificationMetrics c)
        {
            values["LogLoss"] = c.LogLoss;
            values["LogLossReduction"] = c.LogLossReduction;
            values["Entropy"] = c.Entropy;
        }
        return values;
    }

    public static IReadOnlyDictionary<string, double> Of(MulticlassClassificationMetrics m)
    {
        var values = new Dictionary<string, double>
        {
            ["MicroAccuracy"] = m.MicroAccuracy,
            ["MacroAccuracy"] = m.MacroAccuracy,
            ["LogLoss"] = m.LogLoss,
            ["LogLossReduction"] = m.LogLossReduction,
        };
        if (m.TopKPredictionCount > 0)
            values["TopKAccuracy"] = m.TopKAccuracy;
        return values;
    }

    public static IReadOnlyDictionary<string, double> Of(RegressionMetrics m) => new Dictionary<string, double>
    {
        ["MeanAbsoluteError"] = m.MeanAbsoluteError,
        ["MeanSquaredError"] = m.MeanSquaredError,
        ["RootMeanSquaredError"] = m.RootMeanSquaredError,
        ["RSquared"] = m.RSquared,
        ["LossFunction"] = m.LossFunction,
    };
}
