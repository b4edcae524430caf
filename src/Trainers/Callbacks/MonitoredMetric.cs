using MlNetDeep.Common;

namespace MlNetDeep.Training;

/// <summary>What the callbacks that watch a metric share: which way is better, the starting value, the option checks.</summary>
internal static class MonitoredMetric
{
    /// <summary>True for accuracies (higher is better), false for losses.</summary>
    public static bool Rising(string monitor) => monitor.EndsWith("accuracy", StringComparison.Ordinal);

    /// <summary>The value every real one improves on.</summary>
    public static double Worst(string monitor) => Rising(monitor) ? double.NegativeInfinity : double.PositiveInfinity;

    /// <summary>Records a problem when <paramref name="monitor"/> is unknown, or needs validation data that the options do not provide.</summary>
    public static void Check(OptionErrors errors, string owner, string monitor, bool needsValue, bool hasValidation)
    {
        if (!EarlyStoppingOptions.MonitorNames.Contains(monitor))
            errors.Check(false, $"{owner}.Monitor", "one of " + string.Join(", ", EarlyStoppingOptions.MonitorNames), monitor);
        else if (needsValue && monitor.StartsWith("val_", StringComparison.Ordinal) && !hasValidation)
            errors.Check(false, $"{owner}.Monitor", "a training metric (\"loss\", \"accuracy\") when there is no validation data (set ValidationFraction or ValidationData)", monitor);
    }
}
