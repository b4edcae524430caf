namespace MlNetDeep;

/// <summary>A best-epoch circle (a point on a series) or an early-stopping line (a vertical line at an x) on a chart.</summary>
internal sealed record PlotMark(int SeriesIndex, double X, double Y, string Label, bool IsLine);
