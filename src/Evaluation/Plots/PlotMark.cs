namespace MlNetDeep;

/// <summary>
/// A best-epoch circle (a point on a series) or an early-stopping line (a vertical line at an x) on a chart. A
/// <see cref="Standalone"/> line (the overfitting onset) has its own color, dash-dot pattern and legend entry.
/// </summary>
internal sealed record PlotMark(int SeriesIndex, double X, double Y, string Label, bool IsLine)
{
    public bool Standalone { get; init; }

    public PlotColor? Color { get; init; }
}
