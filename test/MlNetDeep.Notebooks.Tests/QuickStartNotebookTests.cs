using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

[assembly: Parallelize(Workers = 1, Scope = ExecutionScope.ClassLevel)]

namespace MlNetDeep.Notebooks.Tests;

/// <summary>
/// docs/notebooks/quick-start.ipynb parsed with .NET Interactive's own reader and run cell by cell, as written, in an
/// in-process C# kernel whose working folder is the notebook's (its #r lines and data paths are relative to it).
/// </summary>
[TestClass]
public sealed class QuickStartNotebookTests
{
    private sealed record CellRun(string Code, IReadOnlyList<string> StandardOutput, IReadOnlyList<FormattedValue> Displayed);

    private static IReadOnlyList<CellRun> _runs = null!;
    private static bool _savedModel;

    [ClassInitialize]
    public static void RunTheNotebook(TestContext _)
    {
        var notebook = Path.Combine(FindRepositoryRoot(), "docs", "notebooks", "quick-start.ipynb");
        InteractiveDocument document;
        using (var stream = File.OpenRead(notebook))
            document = Notebook.Read(stream, new KernelInfoCollection { new Microsoft.DotNet.Interactive.Documents.KernelInfo("csharp") });
        var previous = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(Path.GetDirectoryName(notebook)!);
        try
        {
            _runs = Run(document).GetAwaiter().GetResult();
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
        }
    }

    private static async Task<IReadOnlyList<CellRun>> Run(InteractiveDocument document)
    {
        using var kernel = new CSharpKernel().UseKernelHelpers();
        var runs = new List<CellRun>();
        foreach (var cell in document.Elements.Where(e => e.KernelName == "csharp"))
        {
            var result = await kernel.SendAsync(new SubmitCode(cell.Contents), CancellationToken.None);
            var failure = result.Events.OfType<CommandFailed>().FirstOrDefault();
            if (failure is not null)
                Assert.Fail($"Cell {runs.Count + 1} failed: {failure.Message}{Environment.NewLine}{failure.Exception}{Environment.NewLine}--- cell ---{Environment.NewLine}{cell.Contents}");
            runs.Add(new CellRun(cell.Contents,
                result.Events.OfType<StandardOutputValueProduced>().SelectMany(e => e.FormattedValues).Select(v => v.Value).ToArray(),
                result.Events.OfType<DisplayEvent>().Where(e => e is not StandardOutputValueProduced and not StandardErrorValueProduced)
                    .SelectMany(e => e.FormattedValues).ToArray()));
        }
        // the notebook's own temporary folder: the quick start saved its model there; nothing is left behind
        Assert.IsTrue(kernel.TryGetValue<string>("folder", out var folder), "the notebook defines 'folder'");
        _savedModel = File.Exists(Path.Combine(folder, "spam.zip"));
        Directory.Delete(folder, recursive: true);
        return runs;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MlNetDeep.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException("No MlNetDeep.sln above " + AppContext.BaseDirectory);
    }

    private static CellRun CellWith(string code) => _runs.Single(r => r.Code.Contains(code, StringComparison.Ordinal));

    private static string Html(CellRun run) => string.Concat(run.Displayed.Where(v => v.MimeType == "text/html").Select(v => v.Value));

    [TestMethod]
    public void EveryCellRuns()
    {
        // ClassInitialize failed the class if a cell failed; here: every code cell of the file was submitted
        Assert.AreEqual(6, _runs.Count);
    }

    [TestMethod]
    public void QuickStart_PrintsTheTestAccuracyAndRendersTheHistoryAsATableOfEpochs()
    {
        var run = CellWith("var model = pipeline.Fit(split.TrainSet);");

        var accuracyLine = string.Concat(run.StandardOutput).Trim();
        StringAssert.StartsWith(accuracyLine, "test accuracy 0.");
        Assert.IsTrue(double.Parse(accuracyLine["test accuracy ".Length..], System.Globalization.CultureInfo.InvariantCulture) > 0.9, accuracyLine);
        var html = Html(run);
        StringAssert.Contains(html, "<th>epoch</th><th>loss</th><th>val_loss</th>");
        StringAssert.Contains(html, "(best)");
        StringAssert.Contains(html, "best epoch");
        Assert.IsTrue(_savedModel, "spam.zip saved");
    }

    [TestMethod]
    public void LearningCurve_IsAnInlinePng()
    {
        var run = CellWith("LearningCurvePlot.ForHistory(network.History");

        AssertInlinePngs(Html(run), 1);
        Assert.IsTrue(run.StandardOutput.Any(), "the diagnosis is printed");
    }

    [TestMethod]
    public void CapacityExperiment_PrintsItsEpochsAndVerdictAndShowsItsFigures()
    {
        var run = CellWith("TryGet(\"capacity\"");

        var output = string.Concat(run.StandardOutput);
        StringAssert.Contains(output, "[logistic] epoch 1/20");
        StringAssert.Contains(output, "[96-96] epoch 20/20");
        StringAssert.Contains(output, "96-96: ");
        AssertInlinePngs(Html(run), 1);
    }

    private static void AssertInlinePngs(string html, int atLeast)
    {
        const string prefix = "<img src=\"data:image/png;base64,";
        var images = html.Split(prefix).Skip(1).Select(s => Convert.FromBase64String(s[..s.IndexOf('"')])).ToArray();
        Assert.IsTrue(images.Length >= atLeast, $"expected at least {atLeast} inline PNG(s), found {images.Length}");
        foreach (var png in images)
        {
            CollectionAssert.AreEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4], "PNG signature");
            Assert.IsTrue(png.Length > 10_000, $"a drawn plot, not an empty image: {png.Length} bytes");
        }
    }
}
