using System.Globalization;

namespace MlNetDeep;

/// <summary>One metric of one run in a <see cref="RunReport"/>: a value, or a cross-validated mean with its spread.</summary>
internal sealed record ReportValue(double Mean, double? StandardDeviation, double? Lower, double? Upper, int? Count, bool IsWholeNumber = false)
{
    public string ToCell()
        => StandardDeviation is double sd && !double.IsNaN(sd) && Count is not (0 or 1)
            ? string.Create(CultureInfo.InvariantCulture, $"{Mean:0.0000} ± {sd:0.0000}")
            : IsWholeNumber ? Mean.ToString("0", CultureInfo.InvariantCulture)
            : Mean.ToString("0.0000", CultureInfo.InvariantCulture);
}
