using System.Text.Json;

namespace MlNetDeep.Cli.FanOut;

/// <summary>What a worker writes for its task (result.json beside the fold's model.zip); the driver merges these.</summary>
internal sealed record FoldTaskResult
{
    public const string FileName = "result.json";
    public const string ModelFileName = "model.zip";

    public required int Task { get; init; }

    public required int Repeat { get; init; }

    public required int Fold { get; init; }

    public required bool Succeeded { get; init; }

    /// <summary>The fold's failure, "ExceptionType: message"; null when it succeeded.</summary>
    public string? Error { get; init; }

    /// <summary>The fold's metrics as the worker evaluated them; the driver checks its own evaluation against these.</summary>
    public IReadOnlyDictionary<string, double> MetricValues { get; init; } = new Dictionary<string, double>();

    public required int TrainingRowCount { get; init; }

    public required int ValidationRowCount { get; init; }

    public required double Seconds { get; init; }

    public required string Host { get; init; }

    public void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, FileName);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(this, FanOutPlan.Json));
        File.Move(path + ".tmp", path, overwrite: true); // a reader never sees half a file
    }

    /// <summary>The task's result, or null when the worker wrote none.</summary>
    /// <exception cref="InvalidDataException">The file is not a result.</exception>
    public static FoldTaskResult? TryRead(string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
            return null;
        try
        {
            return JsonSerializer.Deserialize<FoldTaskResult>(File.ReadAllText(path), FanOutPlan.Json)
                ?? throw new InvalidDataException($"'{path}' is empty.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"'{path}' is not a fold result: {ex.Message}");
        }
    }
}
