using System.IO.Compression;

namespace MlNetDeep.Benchmarks;

/// <summary>Reads the Fashion-MNIST idx files (gzip) installed by the setup script.</summary>
internal static class FashionMnist
{
    public const string Folder = "/usr/share/datasets/fashion-mnist";

    /// <summary>The first <paramref name="count"/> training images as pixels scaled to [0, 1], and their labels 0–9.</summary>
    public static (float[][] Images, byte[] Labels) Train(int count)
    {
        var images = Read(Path.Combine(Folder, "train-images-idx3-ubyte.gz"));
        var labels = Read(Path.Combine(Folder, "train-labels-idx1-ubyte.gz"));
        const int pixels = 28 * 28;
        var x = new float[count][];
        for (int i = 0; i < count; i++)
        {
            x[i] = new float[pixels];
            for (int j = 0; j < pixels; j++)
                x[i][j] = images[16 + (i * pixels) + j] / 255f;
        }
        return (x, labels.AsSpan(8, count).ToArray());
    }

    private static byte[] Read(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }
}
