using System.Buffers.Binary;
using System.IO.Compression;

namespace MlNetDeep.Samples.Data;

/// <summary>Writes gzip-compressed idx files (used to build the embedded subset).</summary>
internal static class IdxWriter
{
    public static void WriteImages(string path, int count, int rows, int columns, ReadOnlySpan<byte> pixels)
    {
        if (pixels.Length != count * rows * columns)
            throw new ArgumentException($"Expected {count * rows * columns} pixel bytes for {count} images of {rows}x{columns}; received {pixels.Length}.", nameof(pixels));
        Span<byte> header = stackalloc byte[16];
        BinaryPrimitives.WriteInt32BigEndian(header, IdxReader.ImageMagic);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], count);
        BinaryPrimitives.WriteInt32BigEndian(header[8..], rows);
        BinaryPrimitives.WriteInt32BigEndian(header[12..], columns);
        Write(path, header, pixels);
    }

    public static void WriteLabels(string path, ReadOnlySpan<byte> labels)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, IdxReader.LabelMagic);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], labels.Length);
        Write(path, header, labels);
    }

    private static void Write(string path, ReadOnlySpan<byte> header, ReadOnlySpan<byte> body)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.SmallestSize);
        gzip.Write(header);
        gzip.Write(body);
    }
}
