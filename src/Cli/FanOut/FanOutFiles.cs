using System.Text.Json;

namespace MlNetDeep.Cli.FanOut;

/// <summary>Reading and writing the JSON files drivers and workers exchange through a shared folder.</summary>
internal static class FanOutFiles
{
    /// <summary>Writes through a temporary file and a rename, so a reader on another node never sees half a file.</summary>
    public static void WriteAtomically(string path, string text)
    {
        File.WriteAllText(path + ".tmp", text);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">It is not valid JSON of <typeparamref name="T"/>.</exception>
    public static T Read<T>(string path, string what) where T : class
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"The {what} file '{path}' does not exist.", path);
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), FanOutPlan.Json)
                ?? throw new InvalidDataException($"'{path}' is empty.");
        }
        catch (JsonException ex)
        {
            // no inner exception: the tool's error handler reports an exception's inner one when it has one
            throw new InvalidDataException($"'{path}' is not a valid {what}: {ex.Message}");
        }
    }

    /// <summary>The "Format" a plan file declares, or null when it has none (or is missing, or is not JSON).</summary>
    public static string? Format(string path)
    {
        if (!File.Exists(path))
            return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("Format", out var format)
                && format.ValueKind == JsonValueKind.String ? format.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
