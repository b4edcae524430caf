using System.Globalization;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace MlNetDeep;

/// <summary>
/// One value per cell on a grid — slot j at row j / columns, column j % columns, so 28 columns show a 28×28 image's
/// pixels in place — with a titled colour bar, named axes and a legend for marked cells (e.g. the slots a
/// mutual-information selection kept). Written as PNG or SVG with OxyPlot, like <see cref="LearningCurvePlot"/>.
/// </summary>
/// <example>
/// <code>
/// HeatMapPlot.ForMutualInformation(selector.Scores, selector.SelectedSlots, columns: 28).SavePng("mi.png");
/// </code>
/// </example>
public sealed class HeatMapPlot
{
    private readonly double[] _values;
    private int _width = 800;
    private int _height = 700;

    /// <summary>Creates the chart.</summary>
    /// <param name="values">One value per cell, in slot order; NaN cells are left blank.</param>
    /// <param name="columns">Cells per row.</param>
    /// <param name="title">The chart title.</param>
    /// <param name="colorBarTitle">What the colours measure, e.g. "MI (nats)".</param>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="columns"/> is below 1, or there are no values.</exception>
    public HeatMapPlot(IReadOnlyList<double> values, int columns, string title = "", string colorBarTitle = "")
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        if (values.Count == 0)
            throw new ArgumentOutOfRangeException(nameof(values), "Invalid value for values: expected at least one value. Received: 0 values.");
        _values = values.ToArray();
        Columns = columns;
        Title = title ?? "";
        ColorBarTitle = colorBarTitle ?? "";
    }

    /// <summary>Cells per row.</summary>
    public int Columns { get; }

    /// <summary>The chart title.</summary>
    public string Title { get; set; }

    /// <summary>What the colour bar measures.</summary>
    public string ColorBarTitle { get; set; }

    /// <summary>The x-axis label.</summary>
    /// <value>The default value is "column".</value>
    public string XLabel { get; set; } = "column";

    /// <summary>The y-axis label (rows grow downwards, as in an image).</summary>
    /// <value>The default value is "row".</value>
    public string YLabel { get; set; } = "row";

    /// <summary>Cells to mark with a white dot (slot indexes), e.g. the selected slots; empty for none.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyCollection<int> MarkedCells { get; set; } = Array.Empty<int>();

    /// <summary>The legend text of the marks.</summary>
    /// <value>The default value is "marked".</value>
    public string MarkLabel { get; set; } = "marked";

    /// <summary>The image width in pixels, 100 to 10000.</summary>
    /// <value>The default value is 800.</value>
    public int WidthPixels { get => _width; set => _width = PlotRenderer.CheckSize(value, nameof(WidthPixels)); }

    /// <summary>The image height in pixels, 100 to 10000.</summary>
    /// <value>The default value is 700.</value>
    public int HeightPixels { get => _height; set => _height = PlotRenderer.CheckSize(value, nameof(HeightPixels)); }

    /// <summary>
    /// The scores of a mutual-information selection (<c>MutualInformationSelectingTransformer.Scores</c> and
    /// <c>SelectedSlots</c>) as a heat map: black = 0 to yellow = the highest score, kept slots dotted.
    /// </summary>
    /// <param name="scores">One score per input slot, in nats.</param>
    /// <param name="selectedSlots">The slots the selection kept.</param>
    /// <param name="columns">Cells per row: 28 lays a Fashion-MNIST image's pixels out in place.</param>
    /// <returns>The chart.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scores"/> or <paramref name="selectedSlots"/> is null.</exception>
    public static HeatMapPlot ForMutualInformation(IReadOnlyList<double> scores, IEnumerable<int> selectedSlots, int columns)
    {
        ArgumentNullException.ThrowIfNull(selectedSlots);
        var selected = selectedSlots.ToArray();
        return new HeatMapPlot(scores, columns, "Mutual information of each slot with the label", "MI (nats)")
        {
            XLabel = string.Create(CultureInfo.InvariantCulture, $"slot mod {columns}"),
            YLabel = string.Create(CultureInfo.InvariantCulture, $"slot / {columns}"),
            MarkedCells = selected,
            MarkLabel = string.Create(CultureInfo.InvariantCulture, $"kept by the selection ({selected.Length} of {scores.Count} slots)"),
        };
    }

    /// <summary>Writes the chart as a PNG, creating the folder if needed.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    public void SavePng(string path) => PlotRenderer.Write(path, ToPng());

    /// <summary>Writes the chart as an SVG, creating the folder if needed.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    public void SaveSvg(string path) => PlotRenderer.Write(path, System.Text.Encoding.UTF8.GetBytes(ToSvg()));

    /// <summary>The chart as PNG bytes.</summary>
    public byte[] ToPng() => PlotRenderer.ToPng(Build(), WidthPixels, HeightPixels);

    /// <summary>The chart as an SVG document.</summary>
    public string ToSvg() => PlotRenderer.ToSvg(Build(), WidthPixels, HeightPixels);

    private PlotModel Build()
    {
        int rows = (_values.Length + Columns - 1) / Columns;
        var data = new double[Columns, rows];
        for (int x = 0; x < Columns; x++)
            for (int y = 0; y < rows; y++)
                data[x, y] = double.NaN;
        for (int j = 0; j < _values.Length; j++)
            data[j % Columns, j / Columns] = _values[j];
        var model = new PlotModel { Title = Title, Background = OxyColors.White, PlotAreaBorderColor = OxyColors.Black };
        if (PlotRenderer.FontName is string font)
            model.DefaultFont = font;
        double finiteMax = _values.Where(double.IsFinite).DefaultIfEmpty(0).Max();
        model.Axes.Add(new LinearColorAxis
        {
            Position = AxisPosition.Right,
            Title = ColorBarTitle,
            Minimum = 0,
            Maximum = finiteMax > 0 ? finiteMax : 1,
            Palette = OxyPalette.Interpolate(256, OxyColor.FromRgb(0, 0, 4), OxyColor.FromRgb(87, 16, 110), OxyColor.FromRgb(188, 55, 84), OxyColor.FromRgb(249, 142, 9), OxyColor.FromRgb(252, 255, 164)),
            InvalidNumberColor = OxyColors.White,
        });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = XLabel, Minimum = -0.5, Maximum = Columns - 0.5, MinimumMajorStep = 1 });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = YLabel, Minimum = -0.5, Maximum = rows - 0.5, StartPosition = 1, EndPosition = 0, MinimumMajorStep = 1 });
        model.Series.Add(new HeatMapSeries { X0 = 0, X1 = Columns - 1, Y0 = 0, Y1 = rows - 1, Data = data, Interpolate = false, RenderMethod = HeatMapRenderMethod.Rectangles });
        if (MarkedCells.Count > 0)
        {
            // the dots are annotations (a scatter series would take its colours from the colour axis); an empty series carries the legend entry
            double size = Math.Clamp(200.0 / Math.Max(Columns, rows), 1.2, 4);
            foreach (int j in MarkedCells.Where(j => j >= 0 && j < _values.Length))
                model.Annotations.Add(new OxyPlot.Annotations.PointAnnotation { X = j % Columns, Y = j / Columns, Shape = MarkerType.Circle, Size = size, Fill = OxyColors.White, Stroke = OxyColors.Gray, StrokeThickness = 0.5 });
            model.Series.Add(new LineSeries { Title = MarkLabel, Color = OxyColors.Transparent, LineStyle = LineStyle.None, MarkerType = MarkerType.Circle, MarkerSize = 4, MarkerFill = OxyColors.White, MarkerStroke = OxyColors.Gray, MarkerStrokeThickness = 0.5 });
            model.Legends.Add(new Legend { LegendPlacement = LegendPlacement.Outside, LegendPosition = LegendPosition.BottomCenter, LegendBackground = OxyColors.White, LegendBorder = OxyColors.Gray });
            model.IsLegendVisible = true;
        }
        return model;
    }
}
