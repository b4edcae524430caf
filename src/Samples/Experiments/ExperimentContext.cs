using Microsoft.ML;
using MlNetDeep.Samples.Data;
using MlNetDeep.Samples.Reporting;

namespace MlNetDeep.Samples.Experiments;

/// <summary>Everything an experiment run gets from the command line: data, output folder, seed, budget and progress reporting.</summary>
public sealed class ExperimentContext
{
    /// <summary>Creates a context; the output folder is created if it does not exist.</summary>
    /// <param name="experimentName">The running experiment's command-line name (used to name its files).</param>
    /// <param name="data">The resolved data.</param>
    /// <param name="outputDirectory">The folder for figures and reports.</param>
    /// <param name="reporter">Where progress goes.</param>
    /// <exception cref="IOException">The output folder cannot be created.</exception>
    public ExperimentContext(string experimentName, DataSource data, string outputDirectory, ConsoleReporter reporter)
    {
        ExperimentName = experimentName;
        Data = data;
        OutputDirectory = Directory.CreateDirectory(outputDirectory).FullName;
        Reporter = reporter;
    }

    /// <summary>The running experiment's command-line name.</summary>
    public string ExperimentName { get; }

    /// <summary>The images and texts to use (loaded on first use).</summary>
    public DataSource Data { get; }

    /// <summary>The output folder (full path; it exists).</summary>
    public string OutputDirectory { get; }

    /// <summary>The seed for shuffles, splits, noise channels and network initialisation (<c>--seed</c>).</summary>
    /// <value>The default is 42.</value>
    public int Seed { get; init; } = 42;

    /// <summary>True when <c>--full</c> was given (the full data sets instead of the embedded subset).</summary>
    public bool Full { get; init; }

    /// <summary>How much work the experiment may do.</summary>
    /// <value>The default is <see cref="ExperimentBudget.Normal"/>.</value>
    public ExperimentBudget Budget { get; init; } = ExperimentBudget.Normal;

    /// <summary>Per-epoch progress lines and messages (console, or plain lines when output is redirected).</summary>
    public ConsoleReporter Reporter { get; }

    /// <summary>Cancelled when the user presses Ctrl+C.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>True for the tiny smoke-test budget.</summary>
    public bool IsTiny => Budget == ExperimentBudget.Tiny;

    /// <summary>The number of epochs to train: <paramref name="normal"/>, or at most 2 under the tiny budget.</summary>
    /// <param name="normal">The lecture's number of epochs.</param>
    public int Epochs(int normal) => IsTiny ? Math.Min(normal, 2) : normal;

    /// <summary>The rows to use: all of them, or the first <paramref name="tinyCount"/> under the tiny budget.</summary>
    /// <typeparam name="T">The row type.</typeparam>
    /// <param name="rows">The rows.</param>
    /// <param name="tinyCount">How many rows the tiny budget keeps.</param>
    public IReadOnlyList<T> Rows<T>(IReadOnlyList<T> rows, int tinyCount = 300) => IsTiny ? DataSplits.Take(rows, tinyCount) : rows;

    /// <summary>A new <see cref="MLContext"/> seeded with <see cref="Seed"/> (ML.NET's own shuffles and splits then repeat run to run).</summary>
    public MLContext CreateMLContext() => new(seed: Seed);

    /// <summary>A path in the output folder for one of this experiment's files: "&lt;experiment&gt;-&lt;fileName&gt;".</summary>
    /// <param name="fileName">The file's name, e.g. "val-accuracy.png".</param>
    public string OutputPath(string fileName) => Path.Combine(OutputDirectory, $"{ExperimentName}-{fileName}");
}
