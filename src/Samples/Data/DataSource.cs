namespace MlNetDeep.Samples.Data;

/// <summary>
/// The data an experiment run uses: an image corpus (Fashion-MNIST or MNIST) and a text corpus (SpamAssassin or IMDB),
/// each loaded on first use and then kept.
/// </summary>
/// <remarks>
/// <see cref="Resolve"/> picks them: the embedded subset by default; with <c>--full</c> the full data sets installed by
/// <c>build/setup.sh</c>; with <c>--data DIR</c> a folder of MNIST idx files (replacing the images) or an IMDB
/// <c>aclImdb</c> folder (replacing the text).
/// </remarks>
public sealed class DataSource
{
    private readonly Lazy<ImageCorpus> _images;
    private readonly Lazy<TextCorpus> _text;

    private DataSource(string imagesOrigin, Func<ImageCorpus> images, string textOrigin, Func<TextCorpus> text)
    {
        ImagesOrigin = imagesOrigin;
        TextOrigin = textOrigin;
        _images = new Lazy<ImageCorpus>(images);
        _text = new Lazy<TextCorpus>(text);
    }

    /// <summary>Where the images come from, e.g. "embedded Fashion-MNIST subset" or a folder.</summary>
    public string ImagesOrigin { get; }

    /// <summary>Where the texts come from, e.g. "embedded SpamAssassin subset" or a folder.</summary>
    public string TextOrigin { get; }

    /// <summary>The image corpus, loaded on first use.</summary>
    /// <exception cref="InvalidDataException">An idx file is corrupt (the message names the file and the problem).</exception>
    /// <exception cref="FileNotFoundException">An idx file is missing.</exception>
    public ImageCorpus Images => _images.Value;

    /// <summary>The text corpus, loaded on first use.</summary>
    /// <exception cref="DirectoryNotFoundException">A folder of the corpus is missing.</exception>
    /// <exception cref="InvalidDataException">The corpus is corrupt or empty.</exception>
    public TextCorpus Text => _text.Value;

    /// <summary>A data source over corpora already in memory (for tests and callers that build their own data).</summary>
    /// <param name="images">The image corpus.</param>
    /// <param name="text">The text corpus.</param>
    public static DataSource FromCorpora(ImageCorpus images, TextCorpus text) =>
        new(images.Origin, () => images, text.Origin, () => text);

    /// <summary>Chooses the data for the command-line options; nothing is loaded yet, but every folder is checked.</summary>
    /// <param name="dataDirectory">The <c>--data</c> folder (MNIST idx files or aclImdb), or null.</param>
    /// <param name="full">True for <c>--full</c>: the installed full data sets instead of the embedded subset.</param>
    /// <param name="locations">Where the embedded and installed data live; null for the defaults.</param>
    /// <exception cref="DirectoryNotFoundException">The <c>--data</c> folder, the embedded subset, or a full data set is missing (the message says how to get it).</exception>
    /// <exception cref="InvalidDataException">The <c>--data</c> folder holds neither MNIST idx files nor an aclImdb folder.</exception>
    public static DataSource Resolve(string? dataDirectory, bool full, DataLocations? locations = null)
    {
        locations ??= new DataLocations();
        bool customImages = false, customText = false;
        if (dataDirectory is not null)
        {
            if (File.Exists(dataDirectory))
                throw new DirectoryNotFoundException($"Data folder '{dataDirectory}' is a file; give the folder that holds the idx files or the aclImdb folder.");
            if (!Directory.Exists(dataDirectory))
                throw new DirectoryNotFoundException($"Data folder '{dataDirectory}' does not exist.");
            customImages = MnistLoader.LooksLikeMnistFolder(dataDirectory);
            customText = !customImages && AclImdbLoader.LooksLikeAclImdb(dataDirectory);
            if (!customImages && !customText)
                throw new InvalidDataException(
                    $"Data folder '{dataDirectory}' holds neither MNIST idx files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], " +
                    "t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]) nor an IMDB aclImdb folder (train/pos, train/neg, test/pos, test/neg).");
        }

        string imagesOrigin;
        Func<ImageCorpus> images;
        if (customImages)
        {
            imagesOrigin = dataDirectory!;
            images = () => MnistLoader.Load(dataDirectory!);
        }
        else if (full)
        {
            var dir = locations.FashionMnistDirectories.FirstOrDefault(d => Directory.Exists(d) && MnistLoader.LooksLikeMnistFolder(d))
                ?? throw new DirectoryNotFoundException(
                    $"The full Fashion-MNIST data set is not installed (looked in {string.Join(", ", locations.FashionMnistDirectories)}). " +
                    "Run build/setup.sh to install it, or pass --data DIR with the four idx files.");
            imagesOrigin = dir;
            images = () => MnistLoader.Load(dir, MnistKind.FashionMnist);
        }
        else
        {
            var dir = RequireEmbedded(locations.EmbeddedFashionMnist, Directory.Exists(locations.EmbeddedFashionMnist));
            imagesOrigin = "embedded Fashion-MNIST subset";
            images = () => MnistLoader.Load(dir, MnistKind.FashionMnist, imagesOrigin);
        }

        string textOrigin;
        Func<TextCorpus> text;
        if (customText)
        {
            textOrigin = dataDirectory!;
            text = () => AclImdbLoader.Load(dataDirectory!);
        }
        else if (full)
        {
            var dir = locations.SpamAssassinDirectory;
            if (dir is null || !Directory.Exists(dir))
                throw new DirectoryNotFoundException(
                    (dir is null
                        ? "The full SpamAssassin corpus cannot be located: MLNETDEEP_DATA is not set and no repository folder (with build/setup.sh) is above the working folder. "
                        : $"The full SpamAssassin corpus is not installed at '{dir}'. ") +
                    "Run build/setup.sh to install it (it honours MLNETDEEP_DATA), or pass --data DIR with an aclImdb folder.");
            textOrigin = dir;
            text = () => SpamAssassinLoader.Load(dir);
        }
        else
        {
            var zip = RequireEmbedded(locations.EmbeddedSpamAssassin, File.Exists(locations.EmbeddedSpamAssassin));
            textOrigin = "embedded SpamAssassin subset";
            text = () => SpamAssassinLoader.Load(zip, textOrigin);
        }

        return new DataSource(imagesOrigin, images, textOrigin, text);
    }

    private static string RequireEmbedded(string path, bool exists) => exists
        ? path
        : throw new DirectoryNotFoundException(
            $"The embedded data subset is missing at '{path}'; it ships with the program (src/Samples/data). Rebuild the program, or use --full or --data DIR.");

    /// <inheritdoc />
    public override string ToString() => $"images: {ImagesOrigin}; text: {TextOrigin}";
}
