using MlNetDeep.Samples.Cli;
using MlNetDeep.Samples.Experiments;

namespace MlNetDeep.Samples.Tests;

[TestClass]
public sealed class SamplesAppTests
{
    private static (int Code, string Output, string Error) Run(params string[] args) => Run(null, args);

    private static (int Code, string Output, string Error) Run(ExperimentRegistry? registry, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = SamplesApp.Run(args, output, error, interactive: false, registry: registry);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>A registry of two trivial experiments that need no data.</summary>
    private static ExperimentRegistry Trivial() => new ExperimentRegistry()
        .Add(new Experiment("l2", "L2 weight regularization", "trivial", ExperimentData.None, _ => new ExperimentResult("l2 ran")))
        .Add(new Experiment("dropout", "Dropout", "trivial", ExperimentData.None, _ => new ExperimentResult("dropout ran")));

    [TestMethod]
    public void UnknownExperiment_ExitsWithUsageCodeAndListsTheValidOnes()
    {
        var (code, _, error) = Run("overfit-everything");

        Assert.AreEqual(ExitCodes.Usage, code);
        StringAssert.StartsWith(error,
            "error: Unknown experiment 'overfit-everything'. Valid experiments: noise-vs-zeros, shuffled-labels, learning-rate, capacity, " +
            "text-capacity, l2, dropout, mi-selection, validation-schemes, early-stopping, ablation, spam-model, plateau-checkpoint, class-weights, tune; or 'all' or 'list'.");
    }

    [TestMethod]
    public void UnknownOption_ExitsWithUsageCodeAndListsTheValidOptions()
    {
        var (code, _, error) = Run("capacity", "--epochs", "3");

        Assert.AreEqual(ExitCodes.Usage, code);
        StringAssert.StartsWith(error, "error: Unknown option '--epochs'. Valid options: --data <DIR>, --full, --out <DIR>, --seed <N>, --budget <BUDGET>, --help.");
    }

    [TestMethod]
    [DataRow("abc")]
    [DataRow("-1")]
    [DataRow("1.5")]
    [DataRow("99999999999")]
    public void BadSeed_ExitsWithUsageCode(string seed)
    {
        var (code, _, error) = Run("capacity", $"--seed={seed}");

        Assert.AreEqual(ExitCodes.Usage, code);
        StringAssert.StartsWith(error, $"error: Invalid value for --seed: expected a whole number from 0 to 2147483647. Received: --seed={seed}.");
    }

    [TestMethod]
    public void OptionWithoutValue_ExitsWithUsageCode()
    {
        var (code, _, error) = Run("capacity", "--out");

        Assert.AreEqual(ExitCodes.Usage, code);
        Assert.AreEqual($"error: Option 'out' is defined but no value has been provided.{Environment.NewLine}Run with --help for usage.{Environment.NewLine}", error);
    }

    [TestMethod]
    [DataRow(new[] { "capacity", "--seed", "1", "--seed", "2" }, "error: Option '--seed' is given more than once.")]
    [DataRow(new[] { "capacity", "--seed=1", "--seed", "2" }, "error: Option '--seed' is given more than once.")]
    [DataRow(new[] { "capacity", "--budget", "huge" }, "error: Invalid value for --budget: expected tiny or normal. Received: --budget=huge.")]
    [DataRow(new[] { "capacity", "--full=yes" }, "error: Flags cannot be assigned a value.")]
    [DataRow(new[] { "list", "--seed", "3" }, "error: Unknown option '--seed'. Valid options: --help.")]
    [DataRow(new[] { "capacity", "--", "extra" }, "error: Unexpected argument 'extra'.")]
    [DataRow(new[] { "predict", "model.zip" }, "error: Command 'predict' is missing required argument 'TEXT'.")]
    public void OtherUsageMistakes_ExitWithUsageCodeAndOneErrorLineBeforeTheHint(string[] args, string message)
    {
        var (code, output, error) = Run(args);

        Assert.AreEqual(ExitCodes.Usage, code);
        Assert.AreEqual($"{message}{Environment.NewLine}Run with --help for usage.{Environment.NewLine}", error);
        Assert.AreEqual("", output, "nothing ran");
    }

    [TestMethod]
    public void ExperimentHelp_ListsItsOptionsAndRunsNothing()
    {
        var ran = false;
        var registry = new ExperimentRegistry().Add(new Experiment("probe", "Probe", "Records that it ran.", ExperimentData.None, _ =>
        {
            ran = true;
            return new ExperimentResult("ran");
        }));

        var (code, output, _) = Run(registry, "probe", "--help");

        Assert.AreEqual(ExitCodes.Success, code);
        Assert.IsFalse(ran);
        StringAssert.Contains(output, "dotnet run --project src/Samples -- probe [OPTIONS]");
        foreach (var option in new[] { "--data <DIR>", "--full", "--out <DIR>", "--seed <N>", "--budget <BUDGET>" })
            StringAssert.Contains(output, option);
    }

    [TestMethod]
    public void ExperimentNames_AreCaseInsensitiveLikeTheRegistry()
    {
        var (code, output, _) = Run(Trivial(), "L2", "--budget", "TINY");

        Assert.AreEqual(ExitCodes.Success, code);
        StringAssert.Contains(output, "l2 ran");
    }

    [TestMethod]
    public void NoCommand_PrintsUsageAndExitsWithUsageCode()
    {
        var (code, _, error) = Run();

        Assert.AreEqual(ExitCodes.Usage, code);
        StringAssert.Contains(error, "USAGE:\n    dotnet run --project src/Samples -- [OPTIONS] <COMMAND>");
        StringAssert.Contains(error, "error: No experiment given: name one, or 'all' or 'list'.");
    }

    [TestMethod]
    public void MissingDataFolder_ExitsWithDataErrorCodeAndNamesTheFolder()
    {
        using var dir = new TempDirectory();
        var missing = dir.Combine("mnist");

        var (code, _, error) = Run("noise-vs-zeros", "--data", missing, "--out", dir.Combine("out"));

        Assert.AreEqual(ExitCodes.DataError, code);
        Assert.AreEqual($"error: Data folder '{missing}' does not exist.{Environment.NewLine}", error);
    }

    [TestMethod]
    public void CorruptIdxFileInDataFolder_ExitsWithDataErrorCodeAndNamesTheFile()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteMnistFolder(dir.Path, 4, 2);
        var images = dir.Combine("train-images-idx3-ubyte.gz");
        TestFiles.Write(images, TestFiles.ImagesBytes(4, magic: 2049), gzip: true);

        var (code, _, error) = Run("noise-vs-zeros", "--data", dir.Path, "--out", dir.Combine("out"));

        Assert.AreEqual(ExitCodes.DataError, code);
        Assert.AreEqual($"error: File '{images}' is not an idx3 image file: magic 2049, expected 2051.{Environment.NewLine}", error);
    }

    [TestMethod]
    public void List_ShowsEveryExperimentWithItsDataAndTitle()
    {
        var (code, output, _) = Run("list");

        Assert.AreEqual(ExitCodes.Success, code);
        var registry = LabExperiments.CreateRegistry();
        foreach (var e in registry)
            StringAssert.Contains(output, e.Title);
        Assert.AreEqual(15, registry.Names.Count());
        Assert.AreEqual(15, output.Split('\n').Count(l => registry.Names.Any(n => l.StartsWith(n + " ", StringComparison.Ordinal))));
    }

    [TestMethod]
    public void Help_PrintsUsageAndExitsWithSuccess()
    {
        var (code, output, _) = Run("--help");

        Assert.AreEqual(ExitCodes.Success, code);
        StringAssert.Contains(output, "--seed <N>           Seed for shuffles, splits, noise and initialisation (default: 42).");
        StringAssert.Contains(output, "early-stopping            Early stopping");
        StringAssert.Contains(output, "Exit codes: 0 success, 1 an experiment failed, 2 bad arguments, 4 data missing or unreadable.");
        Assert.IsFalse(output.Contains('\u001b', StringComparison.Ordinal), "plain help has no escape codes");
        Assert.IsFalse(output.Split('\n').Any(l => l.EndsWith(' ')), "plain help has no trailing blanks");
    }

    [TestMethod]
    public void Experiment_GetsTheOptionsThroughItsContext()
    {
        using var dir = new TempDirectory();
        ExperimentContext? seen = null;
        var registry = new ExperimentRegistry().Add(new Experiment("probe", "Probe", "Records its context.", ExperimentData.Images, c =>
        {
            seen = c;
            return new ExperimentResult($"{c.Data.Images.Train.Count} images");
        }));

        var (code, output, _) = Run(registry, "probe", "--seed", "7", "--budget", "tiny", "--out", dir.Combine("o"));

        Assert.AreEqual(ExitCodes.Success, code);
        Assert.IsNotNull(seen);
        Assert.AreEqual((7, ExperimentBudget.Tiny, false, dir.Combine("o")), (seen.Seed, seen.Budget, seen.Full, seen.OutputDirectory));
        Assert.IsTrue(Directory.Exists(dir.Combine("o")));
        Assert.AreEqual(2, seen.Epochs(10));
        Assert.AreEqual(dir.Combine("o", "probe-curve.png"), seen.OutputPath("curve.png"));
        StringAssert.Contains(output, "Verdict: 4000 images");
    }

    [TestMethod]
    public void All_WritesTheSummaryAndAMarkdownReportAndExitsWithTheWorstCode()
    {
        using var dir = new TempDirectory();
        var registry = new ExperimentRegistry()
            .Add(new Experiment("works", "Works", "Writes a figure.", ExperimentData.None, c =>
            {
                var figure = c.OutputPath("curve.png");
                File.WriteAllBytes(figure, [0x89, 0x50]);
                return new ExperimentResult("Noise costs 2.3 points (0.860 vs 0.883).")
                {
                    Numbers = new Dictionary<string, double> { ["val_acc_noise"] = 0.86, ["val_acc_zeros"] = 0.883 },
                    Figures = [figure],
                };
            }))
            .Add(new Experiment("breaks", "Breaks", "Throws.", ExperimentData.None, _ => throw new InvalidOperationException("boom")));

        var (code, output, error) = Run(registry, "all", "--out", dir.Path);

        Assert.AreEqual(ExitCodes.Failed, code);
        StringAssert.Contains(error, "error: experiment 'breaks' failed: System.InvalidOperationException: boom");
        StringAssert.Contains(output, "works       ");
        StringAssert.Contains(output, "Noise costs 2.3 points (0.860 vs 0.883).");
        var report = File.ReadAllText(dir.Combine("report.md"));
        StringAssert.Contains(report, "| [works](#works) | Noise costs 2.3 points (0.860 vs 0.883). |");
        StringAssert.Contains(report, "| [breaks](#breaks) | failed: InvalidOperationException: boom |");
        // the numbers and figures are a RunReport section: one row named after the experiment, one column per number
        StringAssert.Contains(report, "### Numbers and figures\n\n| Run | val_acc_noise | val_acc_zeros |\n| --- | ---: | ---: |\n| works | 0.8600 | 0.8830 |\n");
        StringAssert.Contains(report, "![works-curve](works-curve.png)");
        Assert.AreEqual("run,metric,mean,sd,ci_low,ci_high,n\nworks,val_acc_noise,0.86,,,,\nworks,val_acc_zeros,0.883,,,,\n",
            File.ReadAllText(dir.Combine("report.csv")), "RunReport's CSV of every experiment's numbers; the failed one has none");
    }

    [TestMethod]
    public void All_WithTrivialExperiments_Succeeds()
    {
        using var dir = new TempDirectory();

        var (code, output, _) = Run(Trivial(), "all", "--out", dir.Path, "--budget", "tiny");

        Assert.AreEqual(ExitCodes.Success, code);
        StringAssert.Contains(output, "dropout ran");
        Assert.IsTrue(File.Exists(dir.Combine("report.md")));
    }
}
