using MlNetDeep.Samples.Data;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// The lecture's training rows held the way an ML.NET user holds them, and the way the PyTorch peer
/// (build/bench/peers/pytorch_peer.py) holds its own: the idx files' bytes are read, the first N images become one
/// row object each (pixels / 255, as the peer's <c>astype(np.float32) / 255.0</c>), and the benchmark's IDataView is
/// <c>LoadFromEnumerable</c> over that array — one float copy of the rows, as the peer's one float tensor. Neither
/// side keeps a second copy: no float array beside the rows, no ML.NET cache of a view that already reads from memory.
/// </summary>
internal static class LectureData
{
    /// <summary>The first <paramref name="rows"/> training images of the installed Fashion-MNIST (fewer if it has fewer).</summary>
    /// <param name="rows">How many rows to keep.</param>
    /// <param name="noise">Append 784 uniform noise channels (seeded) to every row.</param>
    public static BenchRow[] Load(int rows, bool noise)
    {
        var directory = new DataLocations().FashionMnistDirectories.FirstOrDefault(d => Directory.Exists(d) && MnistLoader.LooksLikeMnistFolder(d))
            ?? throw new DirectoryNotFoundException("The full Fashion-MNIST data set is not installed; run build/setup.sh.");
        var images = IdxReader.ReadImages(File(directory, "train-images-idx3-ubyte"));
        var labels = IdxReader.ReadLabels(File(directory, "train-labels-idx1-ubyte"));
        int count = Math.Min(rows, images.Count), pixels = images.PixelsPerImage, inputs = noise ? 2 * pixels : pixels;
        var random = new Random(1);
        var result = new BenchRow[count];
        for (int r = 0; r < count; r++)
        {
            var source = images.Image(r);
            var features = new float[inputs];
            for (int p = 0; p < pixels; p++)
                features[p] = source[p] / 255f;
            for (int p = pixels; p < inputs; p++)
                features[p] = (float)random.NextDouble();
            result[r] = new BenchRow { Features = features, Label = labels[r] + 1u }; // ML.NET keys count from 1
        }
        return result;
    }

    /// <summary>The rows as one row-major float array and 0-based class indices (for the raw TorchSharp loop, which takes arrays).</summary>
    public static (float[] Features, long[] Labels) ToArrays(BenchRow[] rows)
    {
        int inputs = rows[0].Features.Length;
        var features = new float[rows.Length * inputs];
        var labels = new long[rows.Length];
        for (int r = 0; r < rows.Length; r++)
        {
            rows[r].Features.CopyTo(features, r * inputs);
            labels[r] = rows[r].Label - 1;
        }
        return (features, labels);
    }

    /// <summary>The rows as a sequence that does not know its length: ML.NET cannot tell the row count without reading it.</summary>
    public static IEnumerable<BenchRow> Lazily(BenchRow[] rows)
    {
        foreach (var row in rows)
            yield return row;
    }

    private static string File(string directory, string stem) =>
        System.IO.File.Exists(Path.Combine(directory, stem + ".gz")) ? Path.Combine(directory, stem + ".gz") : Path.Combine(directory, stem);
}
