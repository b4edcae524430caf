using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using MlNetDeep.Cli.Training;

namespace MlNetDeep.Cli.FanOut;

/// <summary>
/// A cross-validation written down for workers on other machines (a Slurm job array, a Kubernetes Indexed Job): the
/// data file (read by the same CSV/TSV loader and featurization as <c>mlnetdeep train</c>), its size and SHA-256 so a
/// worker refuses a changed file, the label, task and ignored columns, the trainer settings, the seed and the fold of
/// every row in every repeat. Task n is fold n mod K of repeat n div K; each writes its result under
/// <see cref="OutputDirectory"/>/task-n.
/// </summary>
internal sealed record FanOutPlan
{
    public const string CurrentFormat = "mlnetdeep-crossvalidation-plan/1";

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, // NaN metrics round-trip
        Converters = { new JsonStringEnumConverter() },
    };

    public string Format { get; init; } = CurrentFormat;

    public required string DataFile { get; init; }

    public required long DataBytes { get; init; }

    public required string DataSha256 { get; init; }

    public required string Label { get; init; }

    public required TaskKind Task { get; init; }

    public string[] Ignore { get; init; } = Array.Empty<string>();

    public required int NumberOfFolds { get; init; }

    public required int NumberOfRepeats { get; init; }

    public required bool Stratify { get; init; }

    /// <summary>The seed of the fold split (the networks' is in <see cref="Trainer"/>).</summary>
    public required int Seed { get; init; }

    public required TrainerSettings Trainer { get; init; }

    /// <summary>Per repeat, the fold (0 … K−1) of every data row, in file order.</summary>
    public required int[][] Assignments { get; init; }

    public required string OutputDirectory { get; init; }

    [JsonIgnore]
    public int TaskCount => NumberOfFolds * NumberOfRepeats;

    public string TaskDirectory(int task) => Path.Combine(OutputDirectory, string.Create(CultureInfo.InvariantCulture, $"task-{task}"));

    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    /// <summary>Reads a plan and checks that it is whole.</summary>
    /// <exception cref="FileNotFoundException">The plan file does not exist.</exception>
    /// <exception cref="InvalidDataException">It is not a plan of this format, or its parts disagree.</exception>
    public static FanOutPlan Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"The plan file '{path}' does not exist.", path);
        FanOutPlan? plan;
        try
        {
            plan = JsonSerializer.Deserialize<FanOutPlan>(File.ReadAllText(path), Json);
        }
        catch (JsonException ex)
        {
            // no inner exception: the tool's error handler reports an exception's inner one when it has one
            throw new InvalidDataException($"'{path}' is not a valid plan: {ex.Message}");
        }
        if (plan is null || plan.Format != CurrentFormat)
            throw new InvalidDataException($"'{path}' is not a plan of format '{CurrentFormat}' (format: '{plan?.Format}').");
        if (plan.NumberOfFolds < 2 || plan.NumberOfRepeats < 1 || plan.Assignments.Length != plan.NumberOfRepeats
            || plan.Assignments.Any(a => a.Length != plan.Assignments[0].Length || a.Any(f => f < 0 || f >= plan.NumberOfFolds)))
            throw new InvalidDataException($"'{path}' is inconsistent: {plan.NumberOfRepeats} repeat(s) of {plan.NumberOfFolds} folds need as many fold assignments, each of equal length with folds 0 to {plan.NumberOfFolds - 1}.");
        return plan;
    }

    /// <summary>The SHA-256 of a file, in lowercase hex.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Throws unless the data file is the one the plan was made from.</summary>
    /// <exception cref="FileNotFoundException">The data file is gone.</exception>
    /// <exception cref="InvalidDataException">Its size or SHA-256 differ from the plan's.</exception>
    public void CheckDataFile()
    {
        if (!File.Exists(DataFile))
            throw new FileNotFoundException($"The plan's data file '{DataFile}' does not exist on this machine (workers need it at the same path).", DataFile);
        long bytes = new FileInfo(DataFile).Length;
        if (bytes != DataBytes || Sha256(DataFile) != DataSha256)
            throw new InvalidDataException($"The data file '{DataFile}' changed since the plan was written ({bytes} bytes now, {DataBytes} planned; SHA-256 differs): write the plan again.");
    }
}
