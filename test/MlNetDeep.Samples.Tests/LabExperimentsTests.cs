using MlNetDeep.Samples.Cli;
using MlNetDeep.Samples.Experiments;

namespace MlNetDeep.Samples.Tests;

/// <summary>Every lecture experiment, run end to end on the embedded real data under the tiny budget, so none can rot.</summary>
[TestClass]
public sealed class LabExperimentsTests
{
    [TestMethod]
    public void All_TinyBudget_EveryExperimentSucceedsWithVerdictsAndValidPngFigures()
    {
        using var temp = new TempDirectory();
        var output = new StringWriter();
        var error = new StringWriter();

        int exit = SamplesApp.Run(new[] { "all", "--budget", "tiny", "--out", temp.Path, "--seed", "3" }, output, error);

        Assert.AreEqual(ExitCodes.Success, exit, error.ToString());
        var report = File.ReadAllText(Path.Combine(temp.Path, "report.md"));
        var names = LabExperiments.CreateRegistry().Names;
        Assert.HasCount(15, names);
        foreach (var name in names)
        {
            StringAssert.Contains(report, name);
            StringAssert.Contains(output.ToString(), $"== {name}:");
        }
        Assert.AreEqual(names.Count, output.ToString().Split('\n').Count(l => l.StartsWith("Verdict: ", StringComparison.Ordinal)));
        var figures = Directory.GetFiles(temp.Path, "*.png");
        Assert.IsGreaterThanOrEqualTo(12, figures.Length, string.Join(", ", figures.Select(Path.GetFileName)));
        foreach (var figure in figures)
        {
            var bytes = File.ReadAllBytes(figure);
            CollectionAssert.AreEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes.Take(8).ToArray(), Path.GetFileName(figure));
            Assert.IsGreaterThan(2000, bytes.Length, $"{Path.GetFileName(figure)} is suspiciously small");
        }
    }

    [TestMethod]
    public void Predict_MissingModelFile_DataErrorExitCode()
    {
        var error = new StringWriter();

        int exit = SamplesApp.Run(new[] { "predict", "/no/such/model.zip", "free money" }, new StringWriter(), error);

        Assert.AreEqual(ExitCodes.DataError, exit);
        Assert.AreEqual("error: model file '/no/such/model.zip' not found.", error.ToString().Trim());
    }
}
