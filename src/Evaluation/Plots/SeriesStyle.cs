using System.Globalization;

namespace MlNetDeep;

/// <summary>
/// A parsed matplotlib format string, as the lecture's <c>plot_helper</c> takes them: an optional color letter
/// (b g r c m y k w), an optional marker (o . s ^ v D x + *) and an optional line style (- -- : -.), in any order.
/// A marker without a line style draws markers only ("bo"); no marker and no line style draws a solid line.
/// </summary>
internal sealed record SeriesStyle(PlotColor? LineColor, LinePattern? Pattern, PlotMarker Marker)
{
    /// <summary>The matplotlib "tab10" colors, used in turn when a style names no color.</summary>
    public static readonly PlotColor[] Palette = new[]
    {
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    }.Select(PlotColor.FromHex).ToArray();

    /// <exception cref="ArgumentException">The string is not a format this parser knows.</exception>
    public static SeriesStyle Parse(string? style, string parameterName)
    {
        if (string.IsNullOrEmpty(style))
            return new SeriesStyle(null, LinePattern.Solid, PlotMarker.None);
        PlotColor? color = null;
        LinePattern? pattern = null;
        var marker = PlotMarker.None;
        int i = 0;
        while (i < style.Length)
        {
            string rest = style[i..];
            if (rest.StartsWith("--", StringComparison.Ordinal)) { pattern = Set(pattern, LinePattern.Dashed); i += 2; }
            else if (rest.StartsWith("-.", StringComparison.Ordinal)) { pattern = Set(pattern, LinePattern.DashDot); i += 2; }
            else if (rest[0] == '-') { pattern = Set(pattern, LinePattern.Solid); i++; }
            else if (rest[0] == ':') { pattern = Set(pattern, LinePattern.Dotted); i++; }
            else if (ColorOf(rest[0]) is PlotColor c && color is null) { color = c; i++; }
            else if (MarkerOf(rest[0]) is PlotMarker m && marker == PlotMarker.None) { marker = m; i++; }
            else throw Invalid();
        }
        if (pattern is null && marker == PlotMarker.None)
            pattern = LinePattern.Solid;
        return new SeriesStyle(color, pattern, marker);

        LinePattern Set(LinePattern? current, LinePattern value) => current is null ? value : throw Invalid();
        ArgumentException Invalid() => new(string.Create(CultureInfo.InvariantCulture,
            $"Invalid value for style: expected a matplotlib-style format such as \"b-\", \"r--\", \"g:\" or \"ko\". Received: style=\"{style}\"."), parameterName);
    }

    /// <summary>matplotlib's single-letter colors.</summary>
    private static PlotColor? ColorOf(char c) => c switch
    {
        'b' => PlotColor.FromHex("#0000FF"),
        'g' => PlotColor.FromHex("#008000"),
        'r' => PlotColor.FromHex("#FF0000"),
        'c' => PlotColor.FromHex("#00BFBF"),
        'm' => PlotColor.FromHex("#BF00BF"),
        'y' => PlotColor.FromHex("#BFBF00"),
        'k' => PlotColor.FromHex("#000000"),
        'w' => PlotColor.FromHex("#FFFFFF"),
        _ => null,
    };

    private static PlotMarker? MarkerOf(char c) => c switch
    {
        'o' => PlotMarker.Circle,
        '.' => PlotMarker.Point,
        's' => PlotMarker.Square,
        '^' => PlotMarker.TriangleUp,
        'v' => PlotMarker.TriangleDown,
        'D' => PlotMarker.Diamond,
        'x' => PlotMarker.Cross,
        '+' => PlotMarker.Plus,
        '*' => PlotMarker.Star,
        _ => null,
    };
}

/// <summary>An opaque RGB color of a chart element.</summary>
internal readonly record struct PlotColor(byte R, byte G, byte B)
{
    public static PlotColor FromHex(string hex) => new(
        byte.Parse(hex.AsSpan(1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
        byte.Parse(hex.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
        byte.Parse(hex.AsSpan(5, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));

    public static readonly PlotColor Black = new(0, 0, 0);
}

/// <summary>A line style of a series (matplotlib "-", "--", ":", "-.").</summary>
internal enum LinePattern
{
    Solid,
    Dashed,
    Dotted,
    DashDot,
}

/// <summary>A filled marker of a series (matplotlib "o", ".", "s", "^", "v", "D"; "x", "+", "*" are drawn as strokes).</summary>
internal enum PlotMarker
{
    None,
    Circle,
    Point,
    Square,
    TriangleUp,
    TriangleDown,
    Diamond,
    Cross,
    Plus,
    Star,
}
