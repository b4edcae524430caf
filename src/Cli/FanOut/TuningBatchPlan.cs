using System.Globalization;
using System.Text.Json;

namespace MlNetDeep.Cli.FanOut;

/// <summary>One task of a batch: fold <see cref="Fold"/> of repeat <see cref="Repeat"/> trained with <see cref="Options"/>.</summary>
internal sealed record TuningJob(int Repeat, int Fold, PortableOptions Options);

/// <summary>
/// One batch of a fanned-out search (batch-N/batch.json): the folds of the trials the search runs next, one job-array
/// task each; task i trains <see cref="Jobs"/>[i] and writes task-i/result.json beside this file.
/// </summary>
internal sealed record TuningBatchPlan
{
    public const string CurrentFormat = "mlnetdeep-tuning-batch/1";
    public const string FileName = "batch.json";

    public string Format { get; init; } = CurrentFormat;

    /// <summary>The search.json every batch of the search shares.</summary>
    public required string SearchFile { get; init; }

    public required IReadOnlyList<TuningJob> Jobs { get; init; }

    public required string OutputDirectory { get; init; }

    public string TaskDirectory(int task) => Path.Combine(OutputDirectory, string.Create(CultureInfo.InvariantCulture, $"task-{task}"));

    public void Write(string path) => FanOutFiles.WriteAtomically(path, JsonSerializer.Serialize(this, FanOutPlan.Json));

    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">It is not a batch plan of this format.</exception>
    public static TuningBatchPlan Read(string path)
    {
        var plan = FanOutFiles.Read<TuningBatchPlan>(path, "batch plan");
        if (plan.Format != CurrentFormat)
            throw new InvalidDataException($"'{path}' is not a batch plan of format '{CurrentFormat}' (format: '{plan.Format}').");
        return plan;
    }
}
