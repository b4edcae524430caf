using System.Globalization;
using ScottPlot;

namespace MlNetDeep;

/// <summary>
/// A parsed matplotlib format string, as the lecture's <c>plot_helper</c> takes them: an optional color letter
/// (b g r c m y k w), an optional marker (o . s ^ v D x + *) and an optional line style (- -- : -.), in any order.
/// A marker without a line style draws markers only ("bo"); no marker and no line style draws a solid line.
/// </summary>
internal sealed record SeriesStyle(ScottPlot.Color? LineColor, LinePattern? Pattern, MarkerShape Marker)
{
    /// <summary>The matplotlib "tab10" colors, used in turn when a style names no color.</summary>
    public static readonly ScottPlot.Color[] Palette = ScottPlot.Color.FromHex(new[]
    {
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    });

    /// <exception cref="ArgumentException">The string is not a format this parser knows.</exception>
    public static SeriesStyle Parse(string? style, string parameterName)
    {
        if (string.IsNullOrEmpty(style))
            return new SeriesStyle(null, LinePattern.Solid, MarkerShape.None);
        ScottPlot.Color? color = null;
        LinePattern? pattern = null;
        var marker = MarkerShape.None;
        int i = 0;
        while (i < style.Length)
        {
            string rest = style[i..];
            if (rest.StartsWith("--", StringComparison.Ordinal)) { pattern = Set(pattern, LinePattern.Dashed); i += 2; }
            else if (rest.StartsWith("-.", StringComparison.Ordinal)) { pattern = Set(pattern, LinePattern.DenselyDashed); i += 2; }
            else if (rest[0] == '-') { pattern = Set(pattern, LinePattern.Solid); i++; }
            else if (rest[0] == ':') { pattern = Set(pattern, LinePattern.Dotted); i++; }
            else if (ColorOf(rest[0]) is ScottPlot.Color c && color is null) { color = c; i++; }
            else if (MarkerOf(rest[0]) is MarkerShape m && marker == MarkerShape.None) { marker = m; i++; }
            else throw Invalid();
        }
        if (pattern is null && marker == MarkerShape.None)
            pattern = LinePattern.Solid;
        return new SeriesStyle(color, pattern, marker);

        LinePattern Set(LinePattern? current, LinePattern value) => current is null ? value : throw Invalid();
        ArgumentException Invalid() => new(string.Create(CultureInfo.InvariantCulture,
            $"Invalid value for style: expected a matplotlib-style format such as \"b-\", \"r--\", \"g:\" or \"ko\". Received: style=\"{style}\"."), parameterName);
    }

    private static ScottPlot.Color? ColorOf(char c) => c switch
    {
        'b' => ScottPlot.Color.FromHex("#0000FF"),
        'g' => ScottPlot.Color.FromHex("#008000"),
        'r' => ScottPlot.Color.FromHex("#FF0000"),
        'c' => ScottPlot.Color.FromHex("#00BFBF"),
        'm' => ScottPlot.Color.FromHex("#BF00BF"),
        'y' => ScottPlot.Color.FromHex("#BFBF00"),
        'k' => ScottPlot.Color.FromHex("#000000"),
        'w' => ScottPlot.Color.FromHex("#FFFFFF"),
        _ => null,
    };

    private static MarkerShape? MarkerOf(char c) => c switch
    {
        'o' => MarkerShape.FilledCircle,
        '.' => MarkerShape.FilledCircle,
        's' => MarkerShape.FilledSquare,
        '^' => MarkerShape.FilledTriangleUp,
        'v' => MarkerShape.FilledTriangleDown,
        'D' => MarkerShape.FilledDiamond,
        'x' => MarkerShape.Eks,
        '+' => MarkerShape.Cross,
        '*' => MarkerShape.Asterisk,
        _ => null,
    };
}
