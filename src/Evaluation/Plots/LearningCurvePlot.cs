using System.Globalization;

namespace MlNetDeep;

/// <summary>
/// The lecture's <c>plot_helper</c> as a chart builder: several labelled runs on one chart (training vs validation
/// loss or accuracy per epoch, or any x/y series), each with a matplotlib-style format string, the best epoch and
/// the early-stopping point marked, optionally on a log-scale y axis; written as PNG or SVG with OxyPlot.
/// </summary>
/// <remarks>
/// PNGs are drawn by OxyPlot.SkiaSharp on SkiaSharp 2.88, the SkiaSharp that Microsoft.ML.ImageAnalytics 5.0.1 needs,
/// so charts and ML.NET's image transforms work in one process. Text is drawn with DejaVu Sans (or Liberation Sans,
/// Arial, Helvetica) when installed. On Linux, SkiaSharp's dependency-free build reads fonts from /usr/share/fonts;
/// with no font there the images are still written, but without any text — install the Debian package
/// fonts-dejavu-core (build/setup.sh does).
/// </remarks>
/// <example>
/// <code>
/// LearningCurvePlot.ForHistory(history).SavePng("loss.png");
/// new LearningCurvePlot("Effect of noise channels on validation accuracy", "Epochs", "Accuracy")
///     .AddHistory(noise, HistoryMetric.ValidationAccuracy, "Validation accuracy with noise channels", "b-")
///     .AddHistory(zeros, HistoryMetric.ValidationAccuracy, "Validation accuracy with zeros channels", "b--")
///     .SaveSvg("noise.svg");
/// </code>
/// </example>
public sealed class LearningCurvePlot
{
    private readonly List<PlotSeries> _series = new();
    private readonly List<PlotMark> _marks = new();
    private int _width = 800;
    private int _height = 450;

    /// <summary>Creates an empty chart.</summary>
    /// <param name="title">The chart title; empty by default.</param>
    /// <param name="xLabel">The x-axis label; "Epochs" by default.</param>
    /// <param name="yLabel">The y-axis label; empty by default.</param>
    public LearningCurvePlot(string title = "", string xLabel = "Epochs", string yLabel = "")
    {
        Title = title ?? "";
        XLabel = xLabel ?? "";
        YLabel = yLabel ?? "";
    }

    /// <summary>The chart title.</summary>
    /// <value>The default value is the constructor's <c>title</c>, empty unless given.</value>
    public string Title { get; set; }

    /// <summary>The x-axis label.</summary>
    /// <value>The default value is "Epochs".</value>
    public string XLabel { get; set; }

    /// <summary>The y-axis label.</summary>
    /// <value>The default value is the constructor's <c>yLabel</c>, empty unless given.</value>
    public string YLabel { get; set; }

    /// <summary>The image width in pixels, 100 to 10000.</summary>
    /// <value>The default value is 800.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [100, 10000].</exception>
    public int WidthPixels { get => _width; set => _width = PlotRenderer.CheckSize(value, nameof(WidthPixels)); }

    /// <summary>The image height in pixels, 100 to 10000.</summary>
    /// <value>The default value is 450.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [100, 10000].</exception>
    public int HeightPixels { get => _height; set => _height = PlotRenderer.CheckSize(value, nameof(HeightPixels)); }

    /// <summary>Draw the y axis on a log10 scale (ticks at 1, 2, 5 × 10^k); values ≤ 0 are then not drawn.</summary>
    /// <value>The default value is false.</value>
    public bool LogScaleY { get; set; }

    /// <summary>
    /// Names for the x positions 1, 2, …, n (validation schemes, ablation groups): the x axis then shows these names
    /// instead of numbers, one tick each. Null for a numeric axis.
    /// </summary>
    /// <value>The default value is null.</value>
    public IReadOnlyList<string>? XCategories { get; set; }

    /// <summary>Draw the x axis on a log10 scale (as the learning-rate finder's rates); values ≤ 0 are then not drawn.</summary>
    /// <value>The default value is false.</value>
    public bool LogScaleX { get; set; }

    /// <summary>The series added so far, in drawing order.</summary>
    public IReadOnlyList<PlotSeries> Series => _series;

    /// <summary>Adds a labelled line.</summary>
    /// <param name="label">The legend text.</param>
    /// <param name="x">The x values.</param>
    /// <param name="y">The y values, as many as <paramref name="x"/>; NaN values are skipped.</param>
    /// <param name="style">A matplotlib format such as "b-", "r--", "g:", "ko" or "bo-"; null for the next palette color, solid.</param>
    /// <returns>This chart, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="style"/> is null.</exception>
    /// <exception cref="ArgumentException">The lengths differ, or <paramref name="style"/> is not a known format.</exception>
    public LearningCurvePlot AddSeries(string label, IEnumerable<double> x, IEnumerable<double> y, string? style = null)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var xs = x.ToArray();
        var ys = y.ToArray();
        if (xs.Length != ys.Length)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Invalid value for y: expected as many values as x ({xs.Length}). Received: {ys.Length} values."), nameof(y));
        _series.Add(new PlotSeries(label, xs, ys, style, SeriesStyle.Parse(style, nameof(style))));
        return this;
    }

    /// <summary>Adds one metric of a training history per epoch, marking its best epoch and early-stopping point.</summary>
    /// <param name="history">The run's history.</param>
    /// <param name="metric">Which value to draw.</param>
    /// <param name="label">The legend text; null for the metric's name, e.g. "Validation loss".</param>
    /// <param name="style">A matplotlib format; null for the next palette color, solid.</param>
    /// <param name="markBestEpoch">Circle the point at <see cref="TrainingHistory.BestEpoch"/>; null (the default) marks validation metrics only, the ones early stopping monitors.</param>
    /// <param name="markEarlyStop">Draw a dotted vertical line at the last epoch when the run <see cref="TrainingHistory.StoppedEarly"/>; null (the default) marks validation metrics only. One line per run and color is drawn.</param>
    /// <returns>This chart, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="history"/> is null.</exception>
    /// <exception cref="ArgumentException">The history has no value of <paramref name="metric"/> in any epoch, or <paramref name="style"/> is not a known format.</exception>
    public LearningCurvePlot AddHistory(TrainingHistory history, HistoryMetric metric, string? label = null, string? style = null,
        bool? markBestEpoch = null, bool? markEarlyStop = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        bool isValidation = metric is HistoryMetric.ValidationLoss or HistoryMetric.ValidationAccuracy;
        var values = metric switch
        {
            HistoryMetric.Loss => history.Losses,
            HistoryMetric.ValidationLoss => history.ValidationLosses,
            HistoryMetric.Accuracy => history.Accuracies,
            HistoryMetric.ValidationAccuracy => history.ValidationAccuracies,
            _ => throw new ArgumentOutOfRangeException(nameof(metric), $"Invalid value for metric: expected a HistoryMetric. Received: metric={metric}."),
        };
        if (values.All(double.IsNaN))
            throw new ArgumentException($"The history has no {metric} values to plot ({history.Count} epochs, none with a {metric}).", nameof(history));
        label ??= DefaultLabel(metric);
        var epochs = history.Select(e => (double)e.Epoch).ToArray();
        AddSeries(label, epochs, values, style);
        int seriesIndex = _series.Count - 1;
        if ((markBestEpoch ?? isValidation) && history.BestEpoch is int best)
        {
            int i = Array.IndexOf(epochs, (double)best);
            if (i >= 0 && !double.IsNaN(values[i]))
                _marks.Add(new PlotMark(seriesIndex, best, values[i], string.Create(CultureInfo.InvariantCulture, $"{label}: best epoch {best}"), IsLine: false));
        }
        if ((markEarlyStop ?? isValidation) && history.StoppedEarly && history.Count > 0)
        {
            int last = history[^1].Epoch;
            _marks.Add(new PlotMark(seriesIndex, last, double.NaN, string.Create(CultureInfo.InvariantCulture, $"{label}: stopped early at epoch {last}"), IsLine: true));
        }
        return this;
    }

    /// <summary>The lecture's figure for one run: training (solid) and validation (dashed) loss or accuracy, best epoch and early stop marked on the validation curve.</summary>
    /// <param name="history">The run's history.</param>
    /// <param name="accuracy">Draw accuracy instead of loss; false by default.</param>
    /// <param name="title">The chart title; null for "Training and validation loss" (or accuracy).</param>
    /// <returns>The chart.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="history"/> is null.</exception>
    /// <exception cref="ArgumentException">The history lacks the training or validation values.</exception>
    public static LearningCurvePlot ForHistory(TrainingHistory history, bool accuracy = false, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        string what = accuracy ? "accuracy" : "loss";
        var plot = new LearningCurvePlot(title ?? $"Training and validation {what}", "Epochs", accuracy ? "Accuracy" : "Loss");
        plot.AddHistory(history, accuracy ? HistoryMetric.Accuracy : HistoryMetric.Loss, $"Training {what}", "b-");
        plot.AddHistory(history, accuracy ? HistoryMetric.ValidationAccuracy : HistoryMetric.ValidationLoss, $"Validation {what}", "b--");
        return plot;
    }

    /// <summary>
    /// Draws what <see cref="TrainingHistory.Diagnose()"/> reads from a run: its <see cref="TrainingHistory.BaselineLoss"/>
    /// as a dotted black line (the loss a model must beat; drawn once per chart, and only named in the legend when it
    /// lies above 1.5× the highest curve, which it would squash) and the overfitting onset as a
    /// dash-dot line, red, or in the color of the series labelled <paramref name="runLabel"/>.
    /// </summary>
    /// <param name="history">The run (the one whose losses are on the chart).</param>
    /// <param name="diagnosis">Its diagnosis; null to diagnose the history with the default thresholds.</param>
    /// <param name="runLabel">The legend label of the run's series when several runs share the chart; null for one run.</param>
    /// <returns>This chart, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="history"/> is null.</exception>
    public LearningCurvePlot AddDiagnosis(TrainingHistory history, FitDiagnosis? diagnosis = null, string? runLabel = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count == 0)
            return this;
        diagnosis ??= history.Diagnose();
        if (history.BaselineLoss is double baseline && double.IsFinite(baseline))
        {
            // far above the curves, the line would squash them into the bottom of the chart: then the legend says where it is
            double top = _series.SelectMany(s => s.Y).Where(double.IsFinite).DefaultIfEmpty(baseline).Max();
            bool offChart = baseline > 1.5 * top;
            string label = string.Create(CultureInfo.InvariantCulture, $"Baseline (best constant prediction) {baseline:G3}{(offChart ? ", above the chart" : "")}");
            if (!_series.Any(s => s.Label == label))
            {
                var epochs = history.Select(e => (double)e.Epoch).ToArray();
                AddSeries(label, epochs, epochs.Select(_ => offChart ? double.NaN : baseline), "k:");
            }
        }
        if (diagnosis.OverfittingEpoch is int onset)
        {
            int series = runLabel is null ? -1 : _series.FindIndex(s => s.Label == runLabel);
            _marks.Add(new PlotMark(Math.Max(series, 0), onset, double.NaN,
                string.Create(CultureInfo.InvariantCulture, $"{runLabel ?? diagnosis.Verdict.ToString()}: overfitting from epoch {onset}"), IsLine: true)
            {
                Standalone = true,
                Color = series >= 0 ? null : new PlotColor(214, 39, 40),
            });
        }
        return this;
    }

    /// <summary>
    /// The learning-rate range test as fastai draws it: the smoothed loss against the rate on a log axis, the lowest
    /// point circled and the suggested rate (a tenth of it) as a dotted line.
    /// </summary>
    /// <param name="result">The result of a DenseNetwork trainer's <c>FindLearningRate</c>.</param>
    /// <param name="title">The chart title; null for "Learning-rate range test".</param>
    /// <returns>The chart.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is null.</exception>
    public static LearningCurvePlot ForLearningRateFinder(LearningRateFinderResult result, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var plot = new LearningCurvePlot(title ?? "Learning-rate range test", "Learning rate", "Training loss (smoothed)") { LogScaleX = true };
        plot.AddSeries("Smoothed training loss", result.LearningRates, result.Losses, "b-");
        int minimum = Enumerable.Range(0, result.LearningRates.Count).First(i => result.LearningRates[i] == result.MinimumLossLearningRate);
        plot._marks.Add(new PlotMark(0, result.MinimumLossLearningRate, result.Losses[minimum],
            string.Create(CultureInfo.InvariantCulture, $"lowest loss at {result.MinimumLossLearningRate:G3}"), IsLine: false));
        plot._marks.Add(new PlotMark(0, result.SuggestedLearningRate, double.NaN,
            string.Create(CultureInfo.InvariantCulture, $"suggested rate {result.SuggestedLearningRate:G3}"), IsLine: true));
        return plot;
    }

    /// <summary>Several runs' same metric on one chart, one palette color each (e.g. validation loss of the original vs the L2-regularized model).</summary>
    /// <param name="runs">Label and history per run.</param>
    /// <param name="metric">The metric to compare; validation loss by default.</param>
    /// <param name="title">The chart title; null for e.g. "Validation loss".</param>
    /// <returns>The chart.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="runs"/> or a history is null.</exception>
    /// <exception cref="ArgumentException">A history lacks the metric.</exception>
    public static LearningCurvePlot Compare(IEnumerable<(string Label, TrainingHistory History)> runs, HistoryMetric metric = HistoryMetric.ValidationLoss, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        bool isAccuracy = metric is HistoryMetric.Accuracy or HistoryMetric.ValidationAccuracy;
        var plot = new LearningCurvePlot(title ?? DefaultLabel(metric), "Epochs", isAccuracy ? "Accuracy" : "Loss");
        foreach (var (label, history) in runs)
            plot.AddHistory(history, metric, label);
        return plot;
    }

    /// <summary>Writes the chart as a PNG of <see cref="WidthPixels"/> × <see cref="HeightPixels"/>, creating the folder if needed.</summary>
    /// <param name="path">The file to write.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The chart has no series.</exception>
    public void SavePng(string path) => PlotRenderer.Write(path, ToPng());

    /// <summary>Writes the chart as an SVG of <see cref="WidthPixels"/> × <see cref="HeightPixels"/>, creating the folder if needed.</summary>
    /// <param name="path">The file to write.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The chart has no series.</exception>
    public void SaveSvg(string path) => PlotRenderer.Write(path, System.Text.Encoding.UTF8.GetBytes(ToSvg()));

    /// <summary>The chart as PNG bytes.</summary>
    /// <returns>The PNG file's bytes.</returns>
    /// <exception cref="InvalidOperationException">The chart has no series.</exception>
    public byte[] ToPng()
    {
        return PlotRenderer.ToPng(this, _marks);
    }

    /// <summary>The chart as an SVG document.</summary>
    /// <returns>The SVG markup.</returns>
    /// <exception cref="InvalidOperationException">The chart has no series.</exception>
    public string ToSvg()
    {
        return PlotRenderer.ToSvg(this, _marks);
    }

    private static string DefaultLabel(HistoryMetric metric) => metric switch
    {
        HistoryMetric.Loss => "Training loss",
        HistoryMetric.ValidationLoss => "Validation loss",
        HistoryMetric.Accuracy => "Training accuracy",
        _ => "Validation accuracy",
    };
}
