using System.IO.Compression;

namespace MlNetDeep.Samples.Data;

/// <summary>
/// Builds the embedded subset from the installed full data sets, deterministically: the first N training and test
/// images of Fashion-MNIST, and whole SpamAssassin mails spread evenly over each group (proportional to group size).
/// </summary>
internal static class SubsetMaker
{
    public const int TrainImages = 4000;
    public const int TestImages = 1000;
    public const int HamMails = 300;
    public const int SpamMails = 300;

    /// <summary>A fixed time stamp for zip entries, so the same input gives the same zip.</summary>
    private static readonly DateTimeOffset EntryTime = new(2002, 12, 31, 0, 0, 0, TimeSpan.Zero);

    public static IReadOnlyList<string> Make(string fashionDirectory, string spamDirectory, string outputDirectory,
        int trainImages = TrainImages, int testImages = TestImages, int hamMails = HamMails, int spamMails = SpamMails)
    {
        var written = new List<string>();
        var fashionOut = Directory.CreateDirectory(Path.Combine(outputDirectory, "fashion-mnist")).FullName;
        foreach (var (split, count) in new[] { ("train", trainImages), ("t10k", testImages) })
        {
            var imagesPath = MnistLoader.FindFile(fashionDirectory, split, "images", "idx3")
                ?? throw new FileNotFoundException($"Data folder '{fashionDirectory}' has no {split}-images-idx3-ubyte[.gz].");
            var labelsPath = MnistLoader.FindFile(fashionDirectory, split, "labels", "idx1")
                ?? throw new FileNotFoundException($"Data folder '{fashionDirectory}' has no {split}-labels-idx1-ubyte[.gz].");
            var images = IdxReader.ReadImages(imagesPath);
            var labels = IdxReader.ReadLabels(labelsPath);
            int n = Math.Min(count, Math.Min(images.Count, labels.Length));
            var outImages = Path.Combine(fashionOut, $"{split}-images-idx3-ubyte.gz");
            var outLabels = Path.Combine(fashionOut, $"{split}-labels-idx1-ubyte.gz");
            IdxWriter.WriteImages(outImages, n, images.Rows, images.Columns, images.Pixels.AsSpan(0, n * images.PixelsPerImage));
            IdxWriter.WriteLabels(outLabels, labels.AsSpan(0, n));
            written.Add(outImages);
            written.Add(outLabels);
        }

        var spamOut = Directory.CreateDirectory(Path.Combine(outputDirectory, "spam-assassin")).FullName;
        var dataDirectory = SpamAssassinLoader.DataDirectory(spamDirectory);
        var zipPath = Path.Combine(spamOut, "spam-assassin-subset.zip");
        File.Delete(zipPath);
        using (var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create))
        {
            foreach (var (groups, total) in new[] { (SpamAssassinLoader.HamGroups, hamMails), (SpamAssassinLoader.SpamGroups, spamMails) })
            {
                var files = groups.Select(g => SpamAssassinLoader.GroupFiles(dataDirectory, g)).ToArray();
                var quotas = Apportion(files.Select(f => f.Length).ToArray(), total);
                for (int g = 0; g < groups.Count; g++)
                    foreach (var file in EvenlySpaced(files[g], quotas[g]))
                    {
                        var entry = zip.CreateEntry($"{groups[g]}/{Path.GetFileName(file)}", CompressionLevel.SmallestSize);
                        entry.LastWriteTime = EntryTime;
                        using var stream = entry.Open();
                        stream.Write(File.ReadAllBytes(file));
                    }
            }
        }
        written.Add(zipPath);
        foreach (var name in new[] { "LICENSE", "NOTICE" })
        {
            var source = Path.Combine(spamDirectory, name);
            if (File.Exists(source))
            {
                var target = Path.Combine(spamOut, name);
                File.Copy(source, target, overwrite: true);
                written.Add(target);
            }
        }
        return written;
    }

    /// <summary>Splits <paramref name="total"/> over groups in proportion to their sizes (largest remainders; ties to the earlier group).</summary>
    internal static int[] Apportion(int[] sizes, int total)
    {
        long sum = sizes.Sum(s => (long)s);
        var quotas = sizes.Select(s => (int)(s * (long)total / sum)).ToArray();
        var order = Enumerable.Range(0, sizes.Length)
            .OrderByDescending(i => Remainder(sizes[i], total, sum)).ThenBy(i => i).ToArray();
        for (int k = 0; quotas.Sum() < total; k++)
            quotas[order[k % order.Length]]++;
        return quotas;

        static long Remainder(int size, int total, long sum) => size * (long)total % sum;
    }

    /// <summary>The files at positions ⌊i·n/k⌋ for i = 0 … k − 1: k picks spread evenly over the sorted list.</summary>
    internal static IEnumerable<string> EvenlySpaced(string[] files, int k)
    {
        k = Math.Min(k, files.Length);
        for (int i = 0; i < k; i++)
            yield return files[(int)((long)i * files.Length / k)];
    }
}
