namespace MlNetDeep.TestUtilities;

/// <summary>Finds files and folders that code leaves in the temporary folder.</summary>
public static class TempFolder
{
    private static readonly string[] Variables = { "TMPDIR", "TMP", "TEMP" };

    /// <summary>
    /// Runs <paramref name="action"/> with <see cref="Path.GetTempPath"/> pointed at a new, empty private folder (by the
    /// TMPDIR, TMP and TEMP variables it reads), and returns what is in that folder afterwards (paths relative to it);
    /// the folder is then deleted and the variables restored. A private folder keeps other processes' temporary
    /// files out of the listing. The redirection is process-wide: run the calling test alone
    /// (<c>[DoNotParallelize]</c>), or files written by tests running beside it are counted too.
    /// </summary>
    public static IReadOnlyList<string> EntriesLeftBy(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var folder = Path.Combine(Path.GetTempPath(), "mlnetdeep-tempwatch-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var saved = Variables.Select(v => (Name: v, Value: Environment.GetEnvironmentVariable(v))).ToArray();
        try
        {
            foreach (var v in Variables)
                Environment.SetEnvironmentVariable(v, folder);
            if (!string.Equals(Path.TrimEndingDirectorySeparator(Path.GetTempPath()), folder, StringComparison.Ordinal))
                throw new InvalidOperationException($"Path.GetTempPath() did not follow TMPDIR/TMP/TEMP (it returned '{Path.GetTempPath()}').");
            var before = List(folder);
            action();
            return List(folder).Except(before, StringComparer.Ordinal).ToArray();
        }
        finally
        {
            foreach (var (name, value) in saved)
                Environment.SetEnvironmentVariable(name, value);
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string[] List(string folder) =>
        Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(folder, p))
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToArray();
}
