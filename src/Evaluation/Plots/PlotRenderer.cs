using System.Globalization;
using ScottPlot;

namespace MlNetDeep;

/// <summary>Turns a <see cref="LearningCurvePlot"/> into a ScottPlot <see cref="Plot"/>.</summary>
internal static class PlotRenderer
{
    private static readonly Lazy<string?> SansFont = new(() =>
        new[] { "DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "Open Sans", "Noto Sans" }
            .FirstOrDefault(name => string.Equals(Fonts.GetTypeface(name, false, false)?.FamilyName, name, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The sans-serif font plots use, or null when the system has none of the candidates (text may then be missing).</summary>
    public static string? FontName => SansFont.Value;

    public static Plot Build(LearningCurvePlot chart, IReadOnlyList<PlotMark> marks)
    {
        if (chart.Series.Count == 0)
            throw new InvalidOperationException("The chart has no series; add one with AddSeries or AddHistory before saving.");
        var plot = new Plot();
        try
        {
            if (SansFont.Value is string font)
                plot.Font.Set(font);
            var colors = new Color[chart.Series.Count];
            int paletteIndex = 0;
            bool integerX = true;
            var drawn = new List<(double X, double Y)[]>();
            for (int s = 0; s < chart.Series.Count; s++)
            {
                var series = chart.Series[s];
                var style = series.ParsedStyle;
                var color = colors[s] = style.LineColor ?? SeriesStyle.Palette[paletteIndex++ % SeriesStyle.Palette.Length];
                var points = Enumerable.Range(0, series.X.Count)
                    .Where(i => Drawable(series.X[i], series.Y[i], chart.LogScaleY))
                    .Select(i => (X: series.X[i], Y: Transform(series.Y[i], chart.LogScaleY)))
                    .ToArray();
                integerX &= points.All(p => p.X == Math.Round(p.X));
                drawn.Add(points);
                var scatter = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray(), color);
                scatter.LegendText = series.Label;
                scatter.MarkerShape = style.Marker;
                scatter.MarkerSize = style.Marker == MarkerShape.None ? 0 : 6;
                scatter.LineWidth = style.Pattern is null ? 0 : 1.5f;
                if (style.Pattern is LinePattern pattern)
                    scatter.LinePattern = pattern;
            }
            // one mark of a kind gets its own legend entry ("Validation loss: best epoch 5"); several share a
            // generic entry in black, the circle's or line's color telling the runs apart
            bool detailedBest = marks.Count(m => !m.IsLine) <= 1;
            bool detailedStop = marks.Count(m => m.IsLine) <= 1;
            var lines = new HashSet<(double, Color)>();
            foreach (var mark in marks)
            {
                var color = colors[mark.SeriesIndex];
                if (mark.IsLine)
                {
                    if (!lines.Add((mark.X, color)))
                        continue;
                    var line = plot.Add.VerticalLine(mark.X, 1, color, LinePattern.Dotted);
                    if (detailedStop)
                        line.LegendText = mark.Label;
                }
                else if (Drawable(mark.X, mark.Y, chart.LogScaleY))
                {
                    var marker = plot.Add.Marker(mark.X, Transform(mark.Y, chart.LogScaleY), MarkerShape.OpenCircle, 12, color);
                    if (detailedBest)
                        marker.LegendText = mark.Label;
                }
            }
            if (!detailedBest)
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = "best epoch", MarkerShape = MarkerShape.OpenCircle, MarkerSize = 12, MarkerLineColor = Colors.Black, LineWidth = 0 });
            if (!detailedStop)
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = "stopped early", LinePattern = LinePattern.Dotted, LineColor = Colors.Black, LineWidth = 1 });
            int entries = chart.Series.Count + (detailedBest ? marks.Count(m => !m.IsLine) : 1) + (detailedStop ? lines.Count : 1);
            plot.Title(chart.Title);
            plot.XLabel(chart.XLabel);
            plot.YLabel(chart.YLabel);
            // a few entries fit inside the data area; more go below it so they never hide the curves
            if (entries <= 4 && EmptiestCorner(drawn, entries) is Alignment corner)
                plot.ShowLegend(corner);
            else
                plot.ShowLegend(Edge.Bottom);
            plot.Legend.FontSize = Math.Clamp(chart.HeightPixels / 36f, 9f, 14f);
            if (integerX)
                plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
            if (chart.LogScaleY)
                plot.Axes.Left.TickGenerator = LogTicks(chart);
            return plot;
        }
        catch
        {
            plot.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Like matplotlib's legend(loc="best"): the corner whose legend-sized box no curve passes through (curves
    /// sampled along their segments), or null when every corner is crossed.
    /// </summary>
    private static Alignment? EmptiestCorner(List<(double X, double Y)[]> curves, int entries)
    {
        var all = curves.SelectMany(c => c).ToArray();
        if (all.Length == 0)
            return Alignment.UpperRight;
        double x0 = all.Min(p => p.X), x1 = all.Max(p => p.X), y0 = all.Min(p => p.Y), y1 = all.Max(p => p.Y);
        double w = x1 > x0 ? x1 - x0 : 1, h = y1 > y0 ? y1 - y0 : 1;
        var samples = curves.SelectMany(c => c.Length == 1 ? c : c.Zip(c.Skip(1))
                .SelectMany(seg => Enumerable.Range(0, 10).Select(i => (
                    X: seg.First.X + (seg.Second.X - seg.First.X) * i / 10.0,
                    Y: seg.First.Y + (seg.Second.Y - seg.First.Y) * i / 10.0)))
                .Append(c[^1]))
            .Select(p => ((p.X - x0) / w, (p.Y - y0) / h))
            .ToArray();
        // ScottPlot pads the data area by about 10%, so the box is measured in padded coordinates
        double boxWidth = 0.55, boxHeight = Math.Min(0.14 * entries + 0.08, 0.75);
        var corners = new[] { (Alignment.UpperRight, true, true), (Alignment.LowerRight, true, false), (Alignment.UpperLeft, false, true), (Alignment.LowerLeft, false, false) };
        foreach (var (alignment, right, upper) in corners)
        {
            bool crossed = samples.Any(p =>
            {
                double px = (p.Item1 + 0.1) / 1.2, py = (p.Item2 + 0.1) / 1.2;
                return (right ? px > 1 - boxWidth : px < boxWidth) && (upper ? py > 1 - boxHeight : py < boxHeight);
            });
            if (!crossed)
                return alignment;
        }
        return null;
    }

    private static bool Drawable(double x, double y, bool log) => double.IsFinite(x) && double.IsFinite(y) && (!log || y > 0);

    private static double Transform(double y, bool log) => log ? Math.Log10(y) : y;

    /// <summary>Ticks at 1, 2 and 5 × 10^k (only 10^k when that gives too many) placed at their log10 positions.</summary>
    private static ScottPlot.TickGenerators.NumericManual LogTicks(LearningCurvePlot chart)
    {
        var ys = chart.Series.SelectMany(s => s.Y).Where(y => double.IsFinite(y) && y > 0).ToArray();
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        if (ys.Length == 0)
            return ticks;
        int low = (int)Math.Floor(Math.Log10(ys.Min()));
        int high = (int)Math.Ceiling(Math.Log10(ys.Max()));
        var multipliers = high - low > 4 ? new[] { 1 } : high - low > 1 ? new[] { 1, 2, 5 } : new[] { 1, 2, 3, 5 };
        for (int k = low; k <= high; k++)
            for (int m = 1; m <= 9; m++)
            {
                double value = m * Math.Pow(10, k);
                if (multipliers.Contains(m))
                    ticks.AddMajor(Math.Log10(value), value.ToString("G3", CultureInfo.InvariantCulture));
                else
                    ticks.AddMinor(Math.Log10(value));
            }
        return ticks;
    }
}
