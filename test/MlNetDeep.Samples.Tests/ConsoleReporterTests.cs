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
}
