namespace MlNetDeep.Samples.Data;

/// <summary>
/// Loads the IMDB review data set in its <c>aclImdb</c> folder layout (train/pos, train/neg, test/pos, test/neg, one
/// review per <c>.txt</c> file); <see cref="TextExample.Label"/> is true for a positive review.
/// </summary>
public static class AclImdbLoader
{
    private static readonly string[] Folders = ["train/pos", "train/neg", "test/pos", "test/neg"];

    /// <summary>Loads the training part (as <see cref="TextCorpus.Examples"/>) and the test part (as <see cref="TextCorpus.PresetTest"/>).</summary>
    /// <param name="directory">The <c>aclImdb</c> folder, or a folder holding it.</param>
    /// <exception cref="DirectoryNotFoundException">The folder or one of the four review folders does not exist.</exception>
    public static TextCorpus Load(string directory)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Data folder '{directory}' does not exist.");
        var root = Root(directory)
            ?? throw new DirectoryNotFoundException(
                $"Data folder '{directory}' is not an aclImdb folder: it needs the review folders {string.Join(", ", Folders)}.");
        var train = ReadFolder(root, "train/pos", true).Concat(ReadFolder(root, "train/neg", false)).ToArray();
        var test = ReadFolder(root, "test/pos", true).Concat(ReadFolder(root, "test/neg", false)).ToArray();
        return new TextCorpus("IMDB", "positive", "negative", directory, train, test);
    }

    /// <summary>True when the folder (or its <c>aclImdb</c> subfolder) has the four review folders.</summary>
    /// <param name="directory">The folder to look in.</param>
    public static bool LooksLikeAclImdb(string directory) => Root(directory) is not null;

    private static string? Root(string directory)
    {
        foreach (var candidate in new[] { directory, Path.Combine(directory, "aclImdb") })
            if (Folders.All(f => Directory.Exists(Path.Combine(candidate, f))))
                return candidate;
        return null;
    }

    private static IEnumerable<TextExample> ReadFolder(string root, string folder, bool positive)
    {
        var files = Directory.GetFiles(Path.Combine(root, folder), "*.txt");
        Array.Sort(files, StringComparer.Ordinal);
        return files.Select(f => new TextExample
        {
            Text = TextDecoding.Decode(File.ReadAllBytes(f)),
            Label = positive,
            Source = $"{folder}/{Path.GetFileName(f)}",
        });
    }
}
