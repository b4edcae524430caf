using System.Globalization;

namespace MlNetDeep.Cli.Training;

/// <summary>Durations written as a number and a unit: 90s, 5m, 1.5h (a bare number is seconds).</summary>
internal static class TimeBudget
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        text = text.Trim();
        double scale = text[^1] switch { 's' => 1, 'm' => 60, 'h' => 3600, _ => 0 };
        string number = scale == 0 ? text : text[..^1];
        if (scale == 0)
            scale = 1;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double amount) || !(amount > 0) || amount * scale > TimeSpan.MaxValue.TotalSeconds / 2)
            return false;
        value = TimeSpan.FromSeconds(amount * scale);
        return true;
    }
}
