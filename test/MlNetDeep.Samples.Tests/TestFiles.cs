using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace MlNetDeep.Samples.Tests;

/// <summary>Builds small data files and folders for tests, byte by byte (independent of the code under test).</summary>
internal static class TestFiles
{
    public static byte[] ImagesBytes(int count, int rows = 28, int columns = 28, int magic = 2051, Func<int, int, byte>? pixel = null, int? declaredCount = null)
    {
        var bytes = new byte[16 + count * rows * columns];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), declaredCount ?? count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), columns);
        pixel ??= (image, p) => (byte)((image * 31 + p) % 256);
        for (int i = 0; i < count; i++)
            for (int p = 0; p < rows * columns; p++)
                bytes[16 + i * rows * columns + p] = pixel(i, p);
        return bytes;
    }

    public static byte[] LabelsBytes(byte[] labels, int magic = 2049, int? declaredCount = null)
    {
        var bytes = new byte[8 + labels.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), declaredCount ?? labels.Length);
        labels.CopyTo(bytes, 8);
        return bytes;
    }

    public static byte[] Gzip(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
            gzip.Write(bytes);
        return buffer.ToArray();
    }

    /// <summary>Writes the four idx files of an MNIST-format folder (gzip), with <paramref name="train"/> and <paramref name="test"/> images.</summary>
    public static void WriteMnistFolder(string dir, int train, int test, Func<int, int, byte>? pixel = null, bool gzip = true, bool dotSpelling = false)
    {
        Directory.CreateDirectory(dir);
        foreach (var (split, n) in new[] { ("train", train), ("t10k", test) })
        {
            var labels = Enumerable.Range(0, n).Select(i => (byte)(i % 10)).ToArray();
            string images = dotSpelling ? $"{split}-images.idx3-ubyte" : $"{split}-images-idx3-ubyte";
            string labelsName = dotSpelling ? $"{split}-labels.idx1-ubyte" : $"{split}-labels-idx1-ubyte";
            Write(Path.Combine(dir, images + (gzip ? ".gz" : "")), ImagesBytes(n, pixel: pixel), gzip);
            Write(Path.Combine(dir, labelsName + (gzip ? ".gz" : "")), LabelsBytes(labels), gzip);
        }
    }

    public static void Write(string path, byte[] bytes, bool gzip = false)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, gzip ? Gzip(bytes) : bytes);
    }

    public static void WriteText(string path, string text, Encoding? encoding = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, (encoding ?? new UTF8Encoding(false)).GetBytes(text));
    }

    /// <summary>A fake SpamAssassin data folder: two mails per group (one per group in hard-ham-1), with .json twins.</summary>
    public static void WriteSpamFolder(string dataDir)
    {
        foreach (var group in new[] { "easy-ham-1", "easy-ham-2", "spam-1", "spam-2" })
            for (int i = 1; i <= 2; i++)
            {
                var name = $"0000{i}.abc{i}";
                WriteText(Path.Combine(dataDir, group, name + ".txt"), $"From: a@b.c\nSubject: {group} mail {i}\nTo: x@y.z\n\nBody of {group} {i}.\nSecond line.\n");
                WriteText(Path.Combine(dataDir, group, name + ".json"), "{\"ignored\": true}");
            }
        WriteText(Path.Combine(dataDir, "hard-ham-1", "00001.def.txt"), "Subject: Caf\u00e9 news\r\nX-Header: 1\r\n\r\nPrix: 5 \u00e9cus\r\n", Encoding.Latin1);
    }
}

/// <summary>A temporary folder, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mlnetdeep-samples-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
