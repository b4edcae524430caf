using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;
using OxyPlot.SkiaSharp;
using SkiaSharp;

namespace MlNetDeep;

/// <summary>
/// Turns a <see cref="LearningCurvePlot"/> into an OxyPlot model and writes it as PNG (SkiaSharp) or SVG. The only
/// file that knows the plotting library: the chart's styles and marks are MlNetDeep's own types.
/// </summary>
/// <remarks>
/// OxyPlot.SkiaSharp 2.2 runs on SkiaSharp 2.88, the SkiaSharp that Microsoft.ML.ImageAnalytics 5.0.1 is built
/// against, so plotting never lifts an application to a SkiaSharp that ML.NET's image transforms cannot use.
/// </remarks>
internal static class PlotRenderer
{
    /// <summary>Padding around the data on each axis, as a fraction of the data range.</summary>
    private const double AxisPadding = 0.05;

    private static readonly Lazy<string?> SansFont = new(() =>
        new[] { "DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "Open Sans", "Noto Sans" }.FirstOrDefault(IsInstalled));

    /// <summary>The sans-serif font plots use, or null when the system has none of the candidates (text may then be missing).</summary>
    public static string? FontName => SansFont.Value;

    /// <summary>The chart as PNG bytes of its size in pixels (96 dpi: one OxyPlot unit is one pixel).</summary>
    public static byte[] ToPng(LearningCurvePlot chart, IReadOnlyList<PlotMark> marks) => ToPng(Build(chart, marks), chart.WidthPixels, chart.HeightPixels);

    /// <summary>The chart as an SVG document; text is kept as text, measured with the same font as the PNG.</summary>
    public static string ToSvg(LearningCurvePlot chart, IReadOnlyList<PlotMark> marks) => ToSvg(Build(chart, marks), chart.WidthPixels, chart.HeightPixels);

    /// <summary>Any of MlNetDeep's OxyPlot models as PNG bytes of the given size in pixels (96 dpi: one OxyPlot unit is one pixel).</summary>
    public static byte[] ToPng(PlotModel model, int width, int height)
    {
        using var stream = new MemoryStream();
        new PngExporter { Width = width, Height = height, Dpi = 96 }.Export(model, stream);
        return stream.ToArray();
    }

    /// <summary>Any of MlNetDeep's OxyPlot models as an SVG document, text measured with the PNG's font.</summary>
    public static string ToSvg(PlotModel model, int width, int height)
    {
        using var measurer = new SkiaRenderContext();
        // dominant-baseline is ignored by several SVG renderers; the workaround places text with explicit offsets
        return new OxyPlot.SvgExporter
        {
            Width = width,
            Height = height,
            TextMeasurer = measurer,
            UseVerticalTextAlignmentWorkaround = true,
        }.ExportToString(model);
    }

    /// <summary>Writes a chart file, creating its folder if needed.</summary>
    public static void Write(string path, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>A chart's width or height, checked to lie in [100, 10000] pixels.</summary>
    public static int CheckSize(int value, string name)
        => value is >= 100 and <= 10000 ? value : throw new ArgumentOutOfRangeException(name,
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Invalid value for {name}: expected a value in [100, 10000]. Received: {name}={value}."));

    private static PlotModel Build(LearningCurvePlot chart, IReadOnlyList<PlotMark> marks)
    {
        if (chart.Series.Count == 0)
            throw new InvalidOperationException("The chart has no series; add one with AddSeries or AddHistory before saving.");
        var model = new PlotModel
        {
            Title = chart.Title,
            Background = OxyColors.White,
            PlotAreaBorderColor = OxyColors.Black,
            TitleFontSize = Math.Clamp(chart.HeightPixels / 28.0, 11, 18),
        };
        if (SansFont.Value is string font)
            model.DefaultFont = font;
        var colors = new PlotColor[chart.Series.Count];
        int paletteIndex = 0;
        bool integerX = true;
        var drawn = new List<(double X, double Y)[]>();
        for (int s = 0; s < chart.Series.Count; s++)
        {
            var series = chart.Series[s];
            var style = series.ParsedStyle;
            var color = colors[s] = style.LineColor ?? SeriesStyle.Palette[paletteIndex++ % SeriesStyle.Palette.Length];
            var points = Enumerable.Range(0, series.X.Count)
                .Where(i => Drawable(series.X[i], series.Y[i], chart.LogScaleY) && (!chart.LogScaleX || series.X[i] > 0))
                .Select(i => (X: series.X[i], Y: series.Y[i]))
                .ToArray();
            integerX &= points.All(p => p.X == Math.Round(p.X));
            drawn.Add(points.Select(p => (Transform(p.X, chart.LogScaleX), Transform(p.Y, chart.LogScaleY))).ToArray());
            var line = new LineSeries
            {
                Title = series.Label,
                Color = Oxy(color),
                StrokeThickness = style.Pattern is null ? 0 : 1.5,
                LineStyle = style.Pattern is LinePattern pattern ? Oxy(pattern) : LineStyle.None,
                CanTrackerInterpolatePoints = false,
            };
            SetMarker(line, style.Marker, color);
            line.Points.AddRange(points.Select(p => new DataPoint(p.X, p.Y)));
            model.Series.Add(line);
        }
        AddMarks(model, chart, marks, colors, out int markEntries);
        int entries = chart.Series.Count + markEntries;
        model.Axes.Add(chart.XCategories is { Count: > 0 } names
            ? new LinearAxis
            {
                Position = AxisPosition.Bottom,
                Title = chart.XLabel,
                Minimum = 0.5,
                Maximum = names.Count + 0.5,
                MajorStep = 1,
                MinorStep = 1,
                LabelFormatter = x => Math.Abs(x - Math.Round(x)) < 1e-9 && x >= 1 && x <= names.Count ? names[(int)Math.Round(x) - 1] : "",
            }
            : chart.LogScaleX
            ? new DecadeAxis { Position = AxisPosition.Bottom, Title = chart.XLabel, MinimumPadding = AxisPadding, MaximumPadding = AxisPadding }
            : new LinearAxis
            {
                Position = AxisPosition.Bottom,
                Title = chart.XLabel,
                MinimumPadding = AxisPadding,
                MaximumPadding = AxisPadding,
                MinimumMajorStep = integerX ? 1 : 0,
                MinimumMinorStep = integerX ? 1 : 0,
            });
        model.Axes.Add(chart.LogScaleY
            ? new DecadeAxis { Position = AxisPosition.Left, Title = chart.YLabel, MinimumPadding = AxisPadding, MaximumPadding = AxisPadding }
            : new LinearAxis { Position = AxisPosition.Left, Title = chart.YLabel, MinimumPadding = AxisPadding, MaximumPadding = AxisPadding });
        var legend = new Legend
        {
            LegendFontSize = Math.Clamp(chart.HeightPixels / 36.0, 9, 14),
            LegendBackground = OxyColor.FromAColor(220, OxyColors.White),
            LegendBorder = OxyColors.Gray,
        };
        // a few entries fit inside the data area; more go below it so they never hide the curves
        if (entries <= 4 && EmptiestCorner(drawn, entries) is LegendPosition corner)
        {
            legend.LegendPlacement = LegendPlacement.Inside;
            legend.LegendPosition = corner;
        }
        else
        {
            legend.LegendPlacement = LegendPlacement.Outside;
            legend.LegendPosition = LegendPosition.BottomCenter;
            legend.LegendOrientation = LegendOrientation.Horizontal;
        }
        model.Legends.Add(legend);
        model.IsLegendVisible = true;
        return model;
    }

    /// <summary>
    /// Best-epoch circles and early-stopping lines. One mark of a kind gets its own legend entry ("Validation loss:
    /// best epoch 5"); several share a generic entry in black, the circle's or line's color telling the runs apart.
    /// </summary>
    private static void AddMarks(PlotModel model, LearningCurvePlot chart, IReadOnlyList<PlotMark> marks, PlotColor[] colors, out int legendEntries)
    {
        var standalone = marks.Where(m => m.Standalone).ToArray();
        foreach (var mark in standalone)
        {
            var color = mark.Color ?? colors[mark.SeriesIndex];
            model.Annotations.Add(new LineAnnotation
            {
                Type = LineAnnotationType.Vertical,
                X = mark.X,
                Color = Oxy(color),
                LineStyle = LineStyle.DashDot,
                StrokeThickness = 1.5,
            });
            var entry = LegendOnlyLine(mark.Label, color);
            entry.LineStyle = LineStyle.DashDot;
            model.Series.Add(entry);
        }
        marks = marks.Where(m => !m.Standalone).ToArray();
        bool detailedBest = marks.Count(m => !m.IsLine) <= 1;
        bool detailedStop = marks.Count(m => m.IsLine) <= 1;
        var lines = new HashSet<(double, PlotColor)>();
        foreach (var mark in marks)
        {
            var color = colors[mark.SeriesIndex];
            if (mark.IsLine)
            {
                if (!lines.Add((mark.X, color)))
                    continue;
                model.Annotations.Add(new LineAnnotation
                {
                    Type = LineAnnotationType.Vertical,
                    X = mark.X,
                    Color = Oxy(color),
                    LineStyle = LineStyle.Dot,
                    StrokeThickness = 1.5,
                });
                if (detailedStop)
                    model.Series.Add(LegendOnlyLine(mark.Label, color));
            }
            else if (Drawable(mark.X, mark.Y, chart.LogScaleY) && (!chart.LogScaleX || mark.X > 0))
            {
                var circle = OpenCircles(detailedBest ? mark.Label : null, color);
                circle.Points.Add(new ScatterPoint(mark.X, mark.Y));
                model.Series.Add(circle);
            }
        }
        if (!detailedBest)
            model.Series.Add(OpenCircles("best epoch", PlotColor.Black));
        if (!detailedStop)
            model.Series.Add(LegendOnlyLine("stopped early", PlotColor.Black));
        legendEntries = standalone.Length + (detailedBest ? marks.Count(m => !m.IsLine) : 1) + (detailedStop ? lines.Count : 1);
    }

    private static ScatterSeries OpenCircles(string? legendText, PlotColor color) => new()
    {
        Title = legendText,
        RenderInLegend = legendText is not null,
        MarkerType = MarkerType.Circle,
        MarkerSize = 6,
        MarkerFill = OxyColors.Transparent,
        MarkerStroke = Oxy(color),
        MarkerStrokeThickness = 1.5,
    };

    /// <summary>A series without points: only its legend entry is drawn (for the vertical lines, which are annotations).</summary>
    private static LineSeries LegendOnlyLine(string legendText, PlotColor color) => new()
    {
        Title = legendText,
        Color = Oxy(color),
        LineStyle = LineStyle.Dot,
        StrokeThickness = 1.5,
    };

    private static void SetMarker(LineSeries line, PlotMarker marker, PlotColor color)
    {
        line.MarkerFill = Oxy(color);
        line.MarkerStroke = Oxy(color);
        line.MarkerStrokeThickness = 1;
        line.MarkerSize = marker == PlotMarker.Point ? 2 : 3.5;
        line.MarkerType = marker switch
        {
            PlotMarker.None => MarkerType.None,
            PlotMarker.Circle or PlotMarker.Point => MarkerType.Circle,
            PlotMarker.Square => MarkerType.Square,
            PlotMarker.TriangleUp => MarkerType.Triangle,
            PlotMarker.Diamond => MarkerType.Diamond,
            PlotMarker.Cross => MarkerType.Cross,
            PlotMarker.Plus => MarkerType.Plus,
            PlotMarker.Star => MarkerType.Star,
            _ => MarkerType.Custom,
        };
        if (marker == PlotMarker.TriangleDown)
            line.MarkerOutline = new[] { new ScreenPoint(-1, -0.6), new ScreenPoint(1, -0.6), new ScreenPoint(0, 1.1) };
    }

    /// <summary>
    /// Like matplotlib's legend(loc="best"): the corner whose legend-sized box no curve passes through (curves
    /// sampled along their segments), or null when every corner is crossed.
    /// </summary>
    private static LegendPosition? EmptiestCorner(List<(double X, double Y)[]> curves, int entries)
    {
        var all = curves.SelectMany(c => c).ToArray();
        if (all.Length == 0)
            return LegendPosition.TopRight;
        double x0 = all.Min(p => p.X), x1 = all.Max(p => p.X), y0 = all.Min(p => p.Y), y1 = all.Max(p => p.Y);
        double w = x1 > x0 ? x1 - x0 : 1, h = y1 > y0 ? y1 - y0 : 1;
        var samples = curves.SelectMany(c => c.Length <= 1 ? c : c.Zip(c.Skip(1))
                .SelectMany(seg => Enumerable.Range(0, 10).Select(i => (
                    X: seg.First.X + (seg.Second.X - seg.First.X) * i / 10.0,
                    Y: seg.First.Y + (seg.Second.Y - seg.First.Y) * i / 10.0)))
                .Append(c[^1]))
            // positions in the plot area, which pads the data range by AxisPadding on each side
            .Select(p => (X: ((p.X - x0) / w + AxisPadding) / (1 + 2 * AxisPadding), Y: ((p.Y - y0) / h + AxisPadding) / (1 + 2 * AxisPadding)))
            .ToArray();
        double boxWidth = 0.5, boxHeight = Math.Min(0.12 * entries + 0.06, 0.75);
        var corners = new[] { (LegendPosition.TopRight, true, true), (LegendPosition.BottomRight, true, false), (LegendPosition.TopLeft, false, true), (LegendPosition.BottomLeft, false, false) };
        foreach (var (position, right, upper) in corners)
        {
            bool crossed = samples.Any(p => (right ? p.X > 1 - boxWidth : p.X < boxWidth) && (upper ? p.Y > 1 - boxHeight : p.Y < boxHeight));
            if (!crossed)
                return position;
        }
        return null;
    }

    /// <summary>A log10 axis with major ticks at 1, 2 and 5 × 10^k (only 10^k over many decades) and minor ticks at the other integers.</summary>
    private sealed class DecadeAxis : LogarithmicAxis
    {
        public override void GetTickValues(out IList<double> majorLabelValues, out IList<double> majorTickValues, out IList<double> minorTickValues)
        {
            double min = ActualMinimum, max = ActualMaximum;
            if (!(min > 0 && max > min && double.IsFinite(max)))
            {
                base.GetTickValues(out majorLabelValues, out majorTickValues, out minorTickValues);
                return;
            }
            int low = (int)Math.Floor(Math.Log10(min)), high = (int)Math.Ceiling(Math.Log10(max));
            var multipliers = high - low > 4 ? new[] { 1 } : high - low > 1 ? new[] { 1, 2, 5 } : new[] { 1, 2, 3, 5 };
            var major = new List<double>();
            var minor = new List<double>();
            for (int k = low; k <= high; k++)
                for (int m = 1; m <= 9; m++)
                {
                    double value = m * Math.Pow(10, k);
                    if (value >= min && value <= max)
                        (multipliers.Contains(m) ? major : minor).Add(value);
                }
            majorLabelValues = major;
            majorTickValues = major;
            minorTickValues = minor;
        }
    }

    private static bool IsInstalled(string family)
    {
        using var typeface = SKTypeface.FromFamilyName(family);
        return typeface is not null && string.Equals(typeface.FamilyName, family, StringComparison.OrdinalIgnoreCase);
    }

    private static bool Drawable(double x, double y, bool log) => double.IsFinite(x) && double.IsFinite(y) && (!log || y > 0);

    private static double Transform(double y, bool log) => log ? Math.Log10(y) : y;

    private static OxyColor Oxy(PlotColor c) => OxyColor.FromRgb(c.R, c.G, c.B);

    private static LineStyle Oxy(LinePattern pattern) => pattern switch
    {
        LinePattern.Dashed => LineStyle.Dash,
        LinePattern.Dotted => LineStyle.Dot,
        LinePattern.DashDot => LineStyle.DashDot,
        _ => LineStyle.Solid,
    };
}
