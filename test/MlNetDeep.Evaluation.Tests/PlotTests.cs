using Microsoft.ML;
using System.Buffers.Binary;
using System.Xml.Linq;

namespace MlNetDeep.Evaluation.Tests;

[TestClass]
public sealed class PlotTests
{
    public TestContext TestContext { get; set; } = null!;

    private string OutputPath(string fileName)
    {
        var folder = Path.Combine(TestContext.TestRunResultsDirectory ?? Path.GetTempPath(), "plots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, fileName);
    }

    private static (int Width, int Height) PngSize(byte[] png)
    {
        byte[] signature = { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A };
        CollectionAssert.AreEqual(signature, png.Take(8).ToArray(), "PNG signature");
        Assert.AreEqual("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4), "first chunk");
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    private static (string Width, string Height) SvgSize(string svg)
    {
        var root = XDocument.Parse(svg).Root!;
        Assert.AreEqual("svg", root.Name.LocalName);
        return (root.Attribute("width")!.Value, root.Attribute("height")!.Value);
    }

    [TestMethod]
    public void Fonts_SystemHasASansFont_SoPlotTextIsDrawn()
        => Assert.IsNotNull(PlotRenderer.FontName, "No TrueType font in /usr/share/fonts: PNGs would have no text. Run build/setup.sh (installs fonts-dejavu-core).");

    [TestMethod]
    public void ForHistory_SavePngAndSvg_WritesValidFilesOfTheRequestedSize()
    {
        var plot = LearningCurvePlot.ForHistory(Histories.Overfitting());
        plot.WidthPixels = 640;
        plot.HeightPixels = 360;
        string png = OutputPath("for-history.png");
        string svg = OutputPath("for-history.svg");

        plot.SavePng(png);
        plot.SaveSvg(svg);

        Assert.AreEqual((640, 360), PngSize(File.ReadAllBytes(png)));
        Assert.AreEqual(("640", "360"), SvgSize(File.ReadAllText(svg)));
        string text = File.ReadAllText(svg);
        StringAssert.Contains(text, "Training and validation loss");
        StringAssert.Contains(text, "Validation loss: best epoch 5");
        StringAssert.Contains(text, "Validation loss: stopped early at epoch 12");
    }

    [TestMethod]
    public void Compare_SeveralRunsWithStylesAndLogScale_RendersEveryLabel()
    {
        var plot = new LearningCurvePlot("Original model vs. larger model", "Epochs", "Loss") { LogScaleY = true, WidthPixels = 531, HeightPixels = 295 }
            .AddHistory(Histories.Overfitting(offset: 0.1), HistoryMetric.Loss, "Train loss of original model", "r")
            .AddHistory(Histories.Overfitting(offset: 0.1), HistoryMetric.ValidationLoss, "Validation loss of original model", "b--")
            .AddHistory(Histories.Overfitting(best: 3, epochs: 8), HistoryMetric.ValidationLoss, "Validation loss of larger model", "bo-");

        byte[] png = plot.ToPng();
        string svg = plot.ToSvg();
        File.WriteAllBytes(OutputPath("compare-log.png"), png);

        Assert.AreEqual((531, 295), PngSize(png));
        Assert.AreEqual(("531", "295"), SvgSize(svg));
        foreach (var series in plot.Series)
            StringAssert.Contains(svg, series.Label);
        Assert.AreEqual("bo-", plot.Series[2].Style);
        // several marked runs share one legend entry per kind of mark
        StringAssert.Contains(svg, "best epoch");
        StringAssert.Contains(svg, "stopped early");
        Assert.IsFalse(svg.Contains("larger model: best epoch", StringComparison.Ordinal));
    }

    [TestMethod]
    public void CompareHelper_AccuracyOfTwoRuns_UsesPaletteColors()
    {
        var plot = LearningCurvePlot.Compare(new[] { ("noise channels", Histories.Overfitting()), ("zeros channels", Histories.Overfitting(best: 7, stoppedEarly: false)) },
            HistoryMetric.ValidationAccuracy);
        string svg = plot.ToSvg();
        byte[] png = plot.ToPng();
        File.WriteAllBytes(OutputPath("compare-accuracy.png"), png);
        StringAssert.Contains(svg, "stroke:rgb(31,119,180)");
        StringAssert.Contains(svg, "stroke:rgb(255,127,14)");
        // the PNG has lines in both tab10 colors (anti-aliasing blends the edges, the line centers keep the color)
        var image = PngImages.Decode(png);
        Assert.IsGreaterThan(100, image.CountPixels(p => p == (31, 119, 180)), "tab10 blue pixels");
        Assert.IsGreaterThan(100, image.CountPixels(p => p == (255, 127, 14)), "tab10 orange pixels");
        Assert.IsFalse(svg.Contains("zeros channels: stopped early", StringComparison.Ordinal), "a run that did not stop early gets no line");
        Assert.AreEqual("Validation accuracy", plot.Title);
    }

    [TestMethod]
    public void HeatMapForMutualInformation_HasTitleColourBarAxesAndALegendForTheKeptSlots()
    {
        // a 28 × 28 "image" whose center carries the information, then 784 noise slots below it
        var scores = Enumerable.Range(0, 1568).Select(j => j < 784 && Math.Abs(j / 28 - 13.5) < 8 && Math.Abs(j % 28 - 13.5) < 8 ? 0.1 + (j % 7) * 0.01 : 0.002).ToArray();
        var kept = Enumerable.Range(0, 1568).Where(j => scores[j] > 0.05).ToArray();
        var plot = HeatMapPlot.ForMutualInformation(scores, kept, columns: 28);

        byte[] png = plot.ToPng();
        File.WriteAllBytes(OutputPath("mi-heat-map.png"), png);
        string svg = plot.ToSvg();

        Assert.AreEqual((800, 700), PngSize(png));
        StringAssert.Contains(svg, "Mutual information of each slot with the label");
        StringAssert.Contains(svg, "MI (nats)");
        StringAssert.Contains(svg, "slot mod 28");
        StringAssert.Contains(svg, $"kept by the selection ({kept.Length} of 1568 slots)");
        var image = PngImages.Decode(png);
        Assert.IsGreaterThan(500, image.CountPixels(p => p.R > 240 && p.G > 240 && p.B < 190), "the yellow top of the scale (center and colour bar)");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new HeatMapPlot(Array.Empty<double>(), 28));
    }

    [TestMethod]
    public void XCategories_NameTheIntegerPositions_InsteadOfNumberTicks()
    {
        var plot = new LearningCurvePlot("Schemes", "validation scheme", "Accuracy") { XCategories = new[] { "hold-out", "5-fold", "iterated" } }
            .AddSeries("runs", new[] { 1.0, 2, 2, 3 }, new[] { 0.8, 0.82, 0.83, 0.81 }, "bo");
        string svg = plot.ToSvg();
        foreach (var name in new[] { ">hold-out<", ">5-fold<", ">iterated<" })
            StringAssert.Contains(svg, name);
        Assert.IsFalse(svg.Contains(">1.5<", StringComparison.Ordinal) || svg.Contains(">2.5<", StringComparison.Ordinal), "no fractional ticks between categories");
    }

    [TestMethod]
    public void AddDiagnosis_DrawsTheBaselineAndTheOverfittingOnset()
    {
        var history = new TrainingHistory(Histories.Overfitting(epochs: 14, best: 5, stoppedEarly: false)) { BaselineLoss = 0.69 };
        var diagnosis = history.Diagnose();
        Assert.AreEqual(FitVerdict.Overfitting, diagnosis.Verdict);

        var plot = LearningCurvePlot.ForHistory(history).AddDiagnosis(history);
        byte[] png = plot.ToPng();
        File.WriteAllBytes(OutputPath("diagnosis.png"), png);
        string svg = plot.ToSvg();

        StringAssert.Contains(svg, "Baseline (best constant prediction) 0.69");
        StringAssert.Contains(svg, $"Overfitting: overfitting from epoch {diagnosis.OverfittingEpoch}");
        Assert.AreEqual(5, diagnosis.OverfittingEpoch, "the validation minimum of the scripted U");
        Assert.IsGreaterThan(50, PngImages.Decode(png).CountPixels(p => p.R > 180 && p.G < 110 && p.B < 110), "the red onset line");
        Assert.AreEqual(3, plot.Series.Count, "training, validation and the baseline");
    }

    [TestMethod]
    public void ForLearningRateFinder_LogRateAxisWithTheMinimumAndTheSuggestion()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.Load(ml, SyntheticData.BinaryRows(2000, seed: 1));
        var result = ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions { Seed = 1, BatchSize = 32 }).FindLearningRate(data);

        var plot = LearningCurvePlot.ForLearningRateFinder(result);
        byte[] png = plot.ToPng();
        File.WriteAllBytes(OutputPath("learning-rate-finder.png"), png);
        string svg = plot.ToSvg();

        Assert.IsTrue(plot.LogScaleX);
        Assert.AreEqual((800, 450), PngSize(png));
        StringAssert.Contains(svg, "Learning-rate range test");
        StringAssert.Contains(svg, "Smoothed training loss");
        StringAssert.Contains(svg, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"suggested rate {result.SuggestedLearningRate:G3}"));
        StringAssert.Contains(svg, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"lowest loss at {result.MinimumLossLearningRate:G3}"));
        StringAssert.Contains(svg, ">1e-05<", "decade ticks on the rate axis");
    }

    [TestMethod]
    public void AddSeries_PlainXY_LikePlotHelper()
    {
        var plot = new LearningCurvePlot("Fitting with shuffled labels", "Epochs", "Accuracy")
            .AddSeries("Training accuracy", new double[] { 1, 2, 3 }, new[] { 0.1, 0.5, 0.9 }, "b-")
            .AddSeries("Validation accuracy", new double[] { 1, 2, 3 }, new[] { 0.1, double.NaN, 0.1 }, "b--");
        Assert.AreEqual((800, 450), PngSize(plot.ToPng()), "default size");
    }

    [TestMethod]
    public void AddSeries_EveryMarker_DrawsEachInItsColor()
    {
        // like the validation-schemes figure: markers only at category positions, a dashed reference line
        var plot = new LearningCurvePlot("Markers", "category", "value");
        string[] formats = { "bo", "gs", "r^", "cv", "mD", "kx", "y+", "b*", "g." };
        for (int i = 0; i < formats.Length; i++)
            plot.AddSeries(formats[i], new[] { i + 1.0, i + 1.0, i + 1.0 }, new[] { 0.2, 0.5, 0.8 }, formats[i]);
        plot.AddSeries("reference", new[] { 0.5, formats.Length + 0.5 }, new[] { 0.5, 0.5 }, "r--");
        byte[] png = plot.ToPng();
        File.WriteAllBytes(OutputPath("markers.png"), png);

        // filled markers keep their exact color inside (the stroked x + * are anti-aliased lines)
        var image = PngImages.Decode(png);
        foreach (var (color, name) in new[] { ((0, 0, 255), "blue"), ((0, 128, 0), "green"), ((255, 0, 0), "red"), ((0, 191, 191), "cyan"), ((191, 0, 191), "magenta") })
            Assert.IsGreaterThan(10, image.CountPixels(p => p == color), $"{name} marker pixels");
        StringAssert.Contains(plot.ToSvg(), "reference");
    }

    [TestMethod]
    public void BadInputs_Throw()
    {
        var plot = new LearningCurvePlot();
        var empty = Assert.ThrowsExactly<InvalidOperationException>(() => plot.ToPng());
        Assert.AreEqual("The chart has no series; add one with AddSeries or AddHistory before saving.", empty.Message);
        var size = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => plot.WidthPixels = 50);
        Assert.AreEqual("Invalid value for WidthPixels: expected a value in [100, 10000]. Received: WidthPixels=50. (Parameter 'WidthPixels')", size.Message);
        var style = Assert.ThrowsExactly<ArgumentException>(() => plot.AddSeries("a", new double[] { 1 }, new double[] { 1 }, "q-"));
        Assert.AreEqual("Invalid value for style: expected a matplotlib-style format such as \"b-\", \"r--\", \"g:\" or \"ko\". Received: style=\"q-\". (Parameter 'style')", style.Message);
        var lengths = Assert.ThrowsExactly<ArgumentException>(() => plot.AddSeries("a", new double[] { 1, 2 }, new double[] { 1 }));
        Assert.AreEqual("Invalid value for y: expected as many values as x (2). Received: 1 values. (Parameter 'y')", lengths.Message);
        var regression = new TrainingHistory(new[] { new EpochMetrics { Epoch = 1, Loss = 1 } });
        var missing = Assert.ThrowsExactly<ArgumentException>(() => plot.AddHistory(regression, HistoryMetric.ValidationAccuracy));
        Assert.AreEqual("The history has no ValidationAccuracy values to plot (1 epochs, none with a ValidationAccuracy). (Parameter 'history')", missing.Message);
        Assert.IsEmpty(plot.Series, "failed additions leave the chart unchanged");
    }

    [TestMethod]
    [DataRow("b-", true, false)]
    [DataRow("ko", false, true)]
    [DataRow("r--", true, false)]
    [DataRow("g:", true, false)]
    [DataRow("^-.m", true, true)]
    [DataRow("", true, false)]
    public void SeriesStyle_Parse_MatplotlibFormats(string format, bool hasLine, bool hasMarker)
    {
        var style = SeriesStyle.Parse(format, "style");
        Assert.AreEqual(hasLine, style.Pattern is not null);
        Assert.AreEqual(hasMarker, style.Marker != PlotMarker.None);
    }
}
