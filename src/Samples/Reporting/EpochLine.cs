using System.Globalization;
using System.Text;

namespace MlNetDeep.Samples.Reporting;

/// <summary>Formats one epoch's metrics as a single progress line.</summary>
internal static class EpochLine
{
    public static string Format(string runName, EpochMetrics m, int? totalEpochs)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(c, $"[{runName}] epoch {m.Epoch}");
        if (totalEpochs is int total)
            sb.Append(c, $"/{total}");
        sb.Append(c, $"  loss {m.Loss:F4}");
        if (m.ValidationLoss is double vl)
            sb.Append(c, $"  val_loss {vl:F4}");
        if (m.Accuracy is double a)
            sb.Append(c, $"  acc {a:F4}");
        if (m.ValidationAccuracy is double va)
            sb.Append(c, $"  val_acc {va:F4}");
        sb.Append(c, $"  {m.Duration.TotalSeconds:F1}s");
        return sb.ToString();
    }
}
