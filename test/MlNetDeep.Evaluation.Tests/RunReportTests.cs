using Microsoft.ML;

namespace MlNetDeep.Evaluation.Tests;

[TestClass]
public sealed class RunReportTests
{
    [TestMethod]
    public void Save_CrossValidatedAndHistoryRunsWithPlot_WritesMarkdownCsvAndImages()
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticData.Load(ml, SyntheticData.BinaryRows(60, seed: 2));
        var cv = ml.BinaryClassification.RepeatedCrossValidate(data, ml.BinaryClassification.Trainers.LbfgsLogisticRegression(), 3, 1, seed: 1);
        var history = Histories.Overfitting();
        string folder = Path.Combine(Path.GetTempPath(), "mlnetdeep-report-" + Guid.NewGuid().ToString("N"));
        try
        {
            var report = new RunReport("Noise channels")
                .AddRun("lbfgs, 3-fold", cv)
                .AddRun("network", history)
                .AddRun("manual", new Dictionary<string, double> { ["Accuracy"] = 1.0 })
                .AddPlot("Validation loss", LearningCurvePlot.ForHistory(history), "val-loss")
                .AddPlotLink("Elsewhere", "other/plot.png");

            string markdownPath = report.Save(folder);

            Assert.AreEqual(Path.Combine(folder, "report.md"), markdownPath);
            string markdown = File.ReadAllText(markdownPath);
            var accuracy = cv.GetMetric("Accuracy");
            StringAssert.StartsWith(markdown, "# Noise channels\n\n| Run | Accuracy | AreaUnderRocCurve |");
            StringAssert.Contains(markdown, FormattableString.Invariant($"| lbfgs, 3-fold | {accuracy.Mean:0.0000} ± {accuracy.StandardDeviation:0.0000} |"));
            // the history's values are taken at its best epoch (5 of 12): loss 0.7·e^(−1.25) + 0.02, val_loss 0.3, val_accuracy 0.85
            StringAssert.Contains(markdown, "| 12 | 5 | 0.2206 | 0.3000 | 0.8500 |");
            StringAssert.Contains(markdown, "| manual | 1.0000 |");
            StringAssert.Contains(markdown, "![Validation loss](val-loss.png) ([SVG](val-loss.svg))");
            StringAssert.Contains(markdown, "![Elsewhere](other/plot.png)");
            Assert.IsTrue(File.Exists(Path.Combine(folder, "val-loss.png")));
            Assert.IsTrue(File.Exists(Path.Combine(folder, "val-loss.svg")));

            var csv = File.ReadAllLines(Path.Combine(folder, "report.csv"));
            Assert.AreEqual("run,metric,mean,sd,ci_low,ci_high,n", csv[0]);
            Assert.AreEqual(FormattableString.Invariant(
                $"\"lbfgs, 3-fold\",Accuracy,{accuracy.Mean:R},{accuracy.StandardDeviation:R},{accuracy.ConfidenceIntervalLower:R},{accuracy.ConfidenceIntervalUpper:R},3"), csv[1]);
            CollectionAssert.Contains(csv, "network,BestEpoch,5,,,,");
            CollectionAssert.Contains(csv, "network,Epochs,12,,,,");
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void AddRun_DuplicateNameOrEmptyHistory_Throws()
    {
        var report = new RunReport("r").AddRun("a", new Dictionary<string, double> { ["x"] = 1 });
        var duplicate = Assert.ThrowsExactly<ArgumentException>(() => report.AddRun("a", new Dictionary<string, double>()));
        Assert.AreEqual("Invalid value for name: expected a run name not yet in the report. Received: name='a'. (Parameter 'name')", duplicate.Message);
        var empty = Assert.ThrowsExactly<ArgumentException>(() => report.AddRun("b", new TrainingHistory()));
        Assert.AreEqual("The history of run 'b' has no epochs. (Parameter 'history')", empty.Message);
        var file = Assert.ThrowsExactly<ArgumentException>(() => report.AddPlot("c", new LearningCurvePlot(), "plots/c"));
        Assert.AreEqual("Invalid value for fileName: expected a file name without folder or extension. Received: fileName='plots/c'. (Parameter 'fileName')", file.Message);
        CollectionAssert.AreEqual(new[] { "a" }, report.Runs.ToArray());
    }

    [TestMethod]
    public void HeadingLevel_MakesTheReportASectionOfALargerDocument()
    {
        var report = new RunReport("Numbers") { HeadingLevel = 3 }.AddRun("capacity", new Dictionary<string, double> { ["val_loss"] = 0.31 });

        Assert.AreEqual("### Numbers\n\n", report.ToMarkdown()[..13]);
        StringAssert.Contains(report.ToMarkdown(), "| capacity | 0.3100 |");
        Assert.AreEqual("# r\n\n", new RunReport("r").ToMarkdown());
        var bad = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new RunReport("r") { HeadingLevel = 7 });
        StringAssert.StartsWith(bad.Message, "Invalid value for HeadingLevel: expected 1 to 6 (markdown's heading levels). Received: HeadingLevel=7.");
    }
}
