using MlNetDeep.Samples.Experiments;
using MlNetDeep.Samples.Reporting;

namespace MlNetDeep.Samples.Tests;

[TestClass]
public sealed class ConsoleReporterTests
{
    private static readonly EpochMetrics Full = new()
    {
        Epoch = 3, Loss = 0.41234, ValidationLoss = 0.39211, Accuracy = 0.85123, ValidationAccuracy = 0.861, Duration = TimeSpan.FromSeconds(1.25),
    };

    [TestMethod]
    public void ForRun_Redirected_WritesOnePlainLinePerEpoch()
    {
        var output = new StringWriter();
        var progress = new ConsoleReporter(output, interactive: false).ForRun("noise", totalEpochs: 10);

        progress.Report(Full);
        progress.Report(new EpochMetrics { Epoch = 4, Loss = 0.5, Duration = TimeSpan.FromSeconds(2) });

        Assert.AreEqual(
            "[noise] epoch 3/10  loss 0.4123  val_loss 0.3921  acc 0.8512  val_acc 0.8610  1.2s" + Environment.NewLine +
            "[noise] epoch 4/10  loss 0.5000  2.0s" + Environment.NewLine,
            output.ToString());
    }

    [TestMethod]
    public void ForRun_Interactive_ColoursTheLine()
    {
        var output = new StringWriter();
        new ConsoleReporter(output, interactive: true).ForRun("zeros").Report(Full);

        var text = output.ToString();
        StringAssert.Contains(text, "\u001b[");
        StringAssert.Contains(text, "epoch 3  loss 0.4123");
    }

    [TestMethod]
    public void Summary_Redirected_IsAPlainTable()
    {
        var output = new StringWriter();
        var done = new Experiment("capacity", "Capacity", "d", ExperimentData.Images, _ => new ExperimentResult("v"));
        var outcomes = new[]
        {
            new ExperimentOutcome(done, ExperimentStatus.Succeeded, new ExperimentResult("96-96 overfits after epoch 9."), null, TimeSpan.FromSeconds(12.34)),
            new ExperimentOutcome(done with { Name = "l2" }, ExperimentStatus.DataError, null, "x", TimeSpan.Zero),
        };

        new ConsoleReporter(output, interactive: false).Summary(outcomes);

        Assert.AreEqual(
            "experiment  seconds  verdict" + Environment.NewLine +
            "capacity       12.3  96-96 overfits after epoch 9." + Environment.NewLine +
            "l2              0.0  data error: x" + Environment.NewLine,
            output.ToString());
    }

    [TestMethod]
    public void ForOperation_Redirected_WritesALinePerStepNamingTheRunWithAnEtaUntilTheLast()
    {
        var output = new StringWriter();
        var progress = new ConsoleReporter(output, interactive: false).ForOperation("ablation");

        progress.Report(new OperationProgress("AblationStudy: baseline", 1, 2, "repeat 1, fold 1: MicroAccuracy 0.5000"));
        progress.Report(new OperationProgress("AblationStudy: baseline", 2, 2, "repeat 1, fold 2: MicroAccuracy 0.6000"));
        progress.Report(new OperationProgress("AblationStudy: without border", 1, 2, "repeat 1, fold 1: MicroAccuracy 0.4000"));

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.AreEqual(3, lines.Length);
        StringAssert.Matches(lines[0], new System.Text.RegularExpressions.Regex(@"^\[ablation\] baseline 1/2 repeat 1, fold 1: MicroAccuracy 0\.5000  ~\d+s left$"));
        Assert.AreEqual("[ablation] baseline 2/2 repeat 1, fold 2: MicroAccuracy 0.6000", lines[1]);
        StringAssert.StartsWith(lines[2], "[ablation] without border 1/2 repeat 1, fold 1: MicroAccuracy 0.4000  ~");
    }

    [TestMethod]
    public void Line_EtaExtrapolatesTheMeanTimePerStep()
    {
        var line = ConsoleReporter.Line("[5-fold]", new OperationProgress("RepeatedCrossValidate", 2, 5, "repeat 1, fold 2: MicroAccuracy 0.8312"), TimeSpan.FromSeconds(10));

        Assert.AreEqual("[5-fold] 2/5 repeat 1, fold 2: MicroAccuracy 0.8312  ~15s left", line);
    }

    [TestMethod]
    public void ForSteps_CountsTheReportsAgainstTheTotal()
    {
        var output = new StringWriter();
        var progress = new ConsoleReporter(output, interactive: false).ForSteps<string>("tune", 3, t => $"trial {t}");

        progress.Report("a");
        progress.Report("b");

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        StringAssert.StartsWith(lines[0], "[tune] 1/3 trial a  ~");
        StringAssert.StartsWith(lines[1], "[tune] 2/3 trial b  ~");
    }

    [TestMethod]
    public void WithProgressBars_Redirected_RunsTheWorkAndDrawsNoBar()
    {
        var output = new StringWriter();
        var reporter = new ConsoleReporter(output, interactive: false);

        int result = reporter.WithProgressBars(() =>
        {
            reporter.ForRun("noise", 2).Report(Full with { Epoch = 1 });
            return 7;
        });

        Assert.AreEqual(7, result);
        Assert.AreEqual("[noise] epoch 1/2  loss 0.4123  val_loss 0.3921  acc 0.8512  val_acc 0.8610  1.2s" + Environment.NewLine, output.ToString());
    }

    [TestMethod]
    public void WithProgressBars_Interactive_DrawsABarPerRunAndOperationAndKeepsTheLines()
    {
        var output = new StringWriter();
        var reporter = new ConsoleReporter(output, interactive: true);

        int result = reporter.WithProgressBars(() =>
        {
            var run = reporter.ForRun("noise", 10);
            run.Report(Full with { Epoch = 1 });
            run.Report(Full with { Epoch = 2 }); // stops early: its bar stays unfinished
            reporter.ForOperation("5-fold").Report(new OperationProgress("RepeatedCrossValidate", 1, 5, "repeat 1, fold 1: MicroAccuracy 0.8"));
            return 7;
        });

        Assert.AreEqual(7, result);
        var text = output.ToString();
        StringAssert.Contains(text, "epoch 2/10  loss 0.4123");
        StringAssert.Contains(text, "[noise] epochs");
        StringAssert.Contains(text, "[5-fold] 1/5");
        Assert.IsFalse(text.Contains("repeat 1, fold 1", StringComparison.Ordinal), "on a terminal the bar replaces the step line");
    }
}
