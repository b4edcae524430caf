using System.Text.Json;

namespace MlNetDeep.Cli.FanOut;

/// <summary>One fold as the driver planned it; a worker checks that the fold it rebuilt is the same.</summary>
internal sealed record PlannedFold(int Repeat, int Fold, int TrainingRows, double HeldOutBaseline, double ValidationBaseline);

/// <summary>
/// What every task of a fanned-out <c>TuneDenseNetwork</c> search shares (search.json): the task, the rows the folds
/// select from (saved as ML.NET's binary IDataView beside it, with its size and SHA-256 so a worker refuses a changed
/// file), the fold plan's recipe and the search's seed. A worker rebuilds the folds from these and checks them against
/// <see cref="Folds"/>.
/// </summary>
internal sealed record TuningSearchPlan
{
    public const string CurrentFormat = "mlnetdeep-tuning-search/1";
    public const string FileName = "search.json";
    public const string DataFileName = "data.idv";

    public string Format { get; init; } = CurrentFormat;

    /// <summary>"binary classification", "multiclass classification" or "regression".</summary>
    public required string Task { get; init; }

    public required string DataFile { get; init; }

    public required long DataBytes { get; init; }

    public required string DataSha256 { get; init; }

    public required FoldPlanRecipe Recipe { get; init; }

    /// <summary>The search's seed, from which each fold's network seed is derived.</summary>
    public required int Seed { get; init; }

    public required IReadOnlyList<PlannedFold> Folds { get; init; }

    public void Write(string path) => FanOutFiles.WriteAtomically(path, JsonSerializer.Serialize(this, FanOutPlan.Json));

    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">It is not a search plan of this format.</exception>
    public static TuningSearchPlan Read(string path)
    {
        var plan = FanOutFiles.Read<TuningSearchPlan>(path, "search plan");
        if (plan.Format != CurrentFormat)
            throw new InvalidDataException($"'{path}' is not a search plan of format '{CurrentFormat}' (format: '{plan.Format}').");
        return plan;
    }

    /// <summary>The tuning task this plan names.</summary>
    /// <exception cref="InvalidDataException">No task has that name.</exception>
    public TuningTask TuningTask() =>
        new[] { MlNetDeep.TuningTask.Binary, MlNetDeep.TuningTask.Multiclass, MlNetDeep.TuningTask.Regression }.FirstOrDefault(t => t.Name == Task)
            ?? throw new InvalidDataException($"The search plan names an unknown task '{Task}'.");

    /// <summary>Throws unless the data file is the one the plan was written with.</summary>
    /// <exception cref="FileNotFoundException">The data file is gone.</exception>
    /// <exception cref="InvalidDataException">Its size or SHA-256 differ from the plan's.</exception>
    public void CheckDataFile()
    {
        if (!File.Exists(DataFile))
            throw new FileNotFoundException($"The search's data file '{DataFile}' does not exist on this machine (workers need the output folder at the same path).", DataFile);
        long bytes = new FileInfo(DataFile).Length;
        if (bytes != DataBytes || FanOutPlan.Sha256(DataFile) != DataSha256)
            throw new InvalidDataException($"The search's data file '{DataFile}' changed since the search wrote it ({bytes} bytes now, {DataBytes} written; SHA-256 differs).");
    }
}
