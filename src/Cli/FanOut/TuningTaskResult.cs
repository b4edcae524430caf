using System.Text.Json;

namespace MlNetDeep.Cli.FanOut;

/// <summary>What a worker writes for one task of a search batch (task-N/result.json): the fold's outcome, or why it failed.</summary>
internal sealed record TuningTaskResult
{
    public const string FileName = "result.json";

    public required int Task { get; init; }

    public PortableFoldOutcome? Outcome { get; init; }

    /// <summary>The fold's failure, "ExceptionType: message"; null when it trained.</summary>
    public string? Error { get; init; }

    public required double Seconds { get; init; }

    public required string Host { get; init; }

    public void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        FanOutFiles.WriteAtomically(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, FanOutPlan.Json));
    }

    /// <summary>The task's result, or null while its worker has written none.</summary>
    /// <exception cref="InvalidDataException">The file is not a result.</exception>
    public static TuningTaskResult? TryRead(string directory)
    {
        string path = Path.Combine(directory, FileName);
        return File.Exists(path) ? FanOutFiles.Read<TuningTaskResult>(path, "search task result") : null;
    }
}
