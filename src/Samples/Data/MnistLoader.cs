namespace MlNetDeep.Samples.Data;

/// <summary>
/// Loads MNIST or Fashion-MNIST from a folder holding the four idx files (train-images, train-labels, t10k-images,
/// t10k-labels; spelled <c>train-images-idx3-ubyte</c> or <c>train-images.idx3-ubyte</c>, each optionally <c>.gz</c>).
/// </summary>
public static class MnistLoader
{
    private const double FashionMeanPixelThreshold = 0.2;

    /// <summary>Loads the training and test parts of the folder.</summary>
    /// <param name="directory">The folder holding the four idx files.</param>
    /// <param name="kind">Which data set it is; <see cref="MnistKind.Auto"/> decides from the training images' mean pixel.</param>
    /// <param name="origin">How to describe the source in messages; defaults to the folder.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">One of the four files is missing.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt, images are not 28x28, counts differ, or a label is outside 0-9.</exception>
    public static ImageCorpus Load(string directory, MnistKind kind = MnistKind.Auto, string? origin = null)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Data folder '{directory}' does not exist.");
        var train = LoadPair(RequireFile(directory, "train", "images", "idx3"), RequireFile(directory, "train", "labels", "idx1"));
        var test = LoadPair(RequireFile(directory, "t10k", "images", "idx3"), RequireFile(directory, "t10k", "labels", "idx1"));
        if (kind == MnistKind.Auto)
            kind = Detect(train);
        return new ImageCorpus(kind, origin ?? directory, train, test);
    }

    /// <summary>Reads one images file and its labels file into rows with pixels/255.</summary>
    /// <param name="imagesPath">The idx3 images file (plain or gzip).</param>
    /// <param name="labelsPath">The idx1 labels file (plain or gzip).</param>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt, images are not 28x28, counts differ, or a label is outside 0-9.</exception>
    public static IReadOnlyList<ImageExample> LoadPair(string imagesPath, string labelsPath)
    {
        var images = IdxReader.ReadImages(imagesPath);
        var labels = IdxReader.ReadLabels(labelsPath);
        if (images.Rows != 28 || images.Columns != 28)
            throw new InvalidDataException($"File '{imagesPath}' holds {images.Rows}x{images.Columns} images; MNIST-format images are 28x28.");
        if (images.Count != labels.Length)
            throw new InvalidDataException(
                $"Files '{imagesPath}' and '{labelsPath}' do not match: {images.Count} images but {labels.Length} labels.");
        var rows = new ImageExample[images.Count];
        for (int i = 0; i < rows.Length; i++)
        {
            if (labels[i] > 9)
                throw new InvalidDataException($"File '{labelsPath}' holds label {labels[i]} at row {i}; expected 0-9.");
            var source = images.Image(i);
            var pixels = new float[ImageExample.PixelCount];
            for (int p = 0; p < pixels.Length; p++)
                pixels[p] = source[p] / 255f;
            rows[i] = new ImageExample { Pixels = pixels, Label = labels[i] };
        }
        return rows;
    }

    /// <summary>True when the folder holds a training images file in one of the accepted spellings.</summary>
    /// <param name="directory">The folder to look in.</param>
    public static bool LooksLikeMnistFolder(string directory) => FindFile(directory, "train", "images", "idx3") is not null;

    /// <summary>Decides Fashion-MNIST or digits from the mean pixel of the first (up to) 1,000 images.</summary>
    /// <param name="rows">Rows with pixels in [0, 1].</param>
    public static MnistKind Detect(IReadOnlyList<ImageExample> rows)
    {
        int n = Math.Min(rows.Count, 1000);
        if (n == 0)
            return MnistKind.FashionMnist;
        double sum = 0;
        for (int i = 0; i < n; i++)
            foreach (var v in rows[i].Pixels)
                sum += v;
        return sum / ((double)n * ImageExample.PixelCount) >= FashionMeanPixelThreshold ? MnistKind.FashionMnist : MnistKind.Digits;
    }

    internal static string? FindFile(string directory, string split, string part, string idx)
    {
        string[] splits = split == "t10k" ? ["t10k", "test"] : [split];
        foreach (var s in splits)
            foreach (var name in new[] { $"{s}-{part}-{idx}-ubyte", $"{s}-{part}.{idx}-ubyte" })
                foreach (var candidate in new[] { name, name + ".gz" })
                {
                    var path = Path.Combine(directory, candidate);
                    if (File.Exists(path))
                        return path;
                }
        return null;
    }

    private static string RequireFile(string directory, string split, string part, string idx) =>
        FindFile(directory, split, part, idx)
        ?? throw new FileNotFoundException(
            $"Data folder '{directory}' has no {split}-{part}-{idx}-ubyte[.gz] (or {split}-{part}.{idx}-ubyte[.gz]); an MNIST-format folder holds train-images, train-labels, t10k-images and t10k-labels.");
}
