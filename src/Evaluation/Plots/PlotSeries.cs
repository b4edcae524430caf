namespace MlNetDeep;

/// <summary>One labelled line of a <see cref="LearningCurvePlot"/>: x and y values and a matplotlib-style format string.</summary>
public sealed class PlotSeries
{
    internal PlotSeries(string label, double[] x, double[] y, string? style, SeriesStyle parsedStyle)
    {
        Label = label;
        X = x;
        Y = y;
        Style = style;
        ParsedStyle = parsedStyle;
    }

    /// <summary>The legend text.</summary>
    public string Label { get; }

    /// <summary>The x values, e.g. epochs 1, 2, ….</summary>
    public IReadOnlyList<double> X { get; }

    /// <summary>The y values; NaN values (an epoch without that metric) are not drawn.</summary>
    public IReadOnlyList<double> Y { get; }

    /// <summary>The format string as given, e.g. "b--"; null for the next palette color with a solid line.</summary>
    public string? Style { get; }

    internal SeriesStyle ParsedStyle { get; }
}
