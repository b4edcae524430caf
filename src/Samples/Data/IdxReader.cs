using System.Buffers.Binary;
using System.IO.Compression;

namespace MlNetDeep.Samples.Data;

/// <summary>
/// Reads the idx files MNIST and Fashion-MNIST ship in (idx3 images, idx1 labels), plain or gzip-compressed.
/// </summary>
/// <remarks>
/// The format is a big-endian header (magic number, then one 32-bit size per dimension) followed by unsigned bytes.
/// Every problem is reported as an <see cref="InvalidDataException"/> whose message names the file and the problem.
/// </remarks>
public static class IdxReader
{
    /// <summary>The magic number of an idx3 image file (unsigned bytes, 3 dimensions).</summary>
    public const int ImageMagic = 2051;

    /// <summary>The magic number of an idx1 label file (unsigned bytes, 1 dimension).</summary>
    public const int LabelMagic = 2049;

    /// <summary>Reads an idx3 image file.</summary>
    /// <param name="path">The file, plain or gzip-compressed (detected from its first bytes, not its name).</param>
    /// <returns>The images with their sizes and pixel bytes in file order.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not an idx3 file, has impossible sizes, or is truncated.</exception>
    public static IdxImages ReadImages(string path)
    {
        using var stream = Open(path);
        var header = ReadHeader(stream, path, 16, ImageMagic, "an idx3 image file");
        int count = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
        int rows = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(8));
        int columns = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(12));
        if (count < 0 || rows <= 0 || columns <= 0 || (long)count * rows * columns > Array.MaxLength)
            throw new InvalidDataException($"File '{path}' has an invalid idx3 header: {count} images of {rows}x{columns} pixels.");
        var pixels = new byte[count * rows * columns];
        int read = ReadFully(stream, pixels, path);
        if (read < pixels.Length)
            throw new InvalidDataException(
                $"File '{path}' is truncated: the header announces {count} images of {rows}x{columns} pixels ({pixels.Length} bytes), but only {read} bytes follow.");
        return new IdxImages(count, rows, columns, pixels);
    }

    /// <summary>Reads an idx1 label file.</summary>
    /// <param name="path">The file, plain or gzip-compressed (detected from its first bytes, not its name).</param>
    /// <returns>One byte per label, in file order.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not an idx1 file, has an impossible size, or is truncated.</exception>
    public static byte[] ReadLabels(string path)
    {
        using var stream = Open(path);
        var header = ReadHeader(stream, path, 8, LabelMagic, "an idx1 label file");
        int count = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
        if (count < 0)
            throw new InvalidDataException($"File '{path}' has an invalid idx1 header: {count} labels.");
        var labels = new byte[count];
        int read = ReadFully(stream, labels, path);
        if (read < count)
            throw new InvalidDataException($"File '{path}' is truncated: the header announces {count} labels, but only {read} bytes follow.");
        return labels;
    }

    private static Stream Open(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"File '{path}' does not exist.", path);
        var file = File.OpenRead(path);
        Span<byte> start = stackalloc byte[2];
        int n = file.Read(start);
        file.Position = 0;
        return n == 2 && start[0] == 0x1f && start[1] == 0x8b ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    /// <summary>Reads the header, checking the magic number first (so a wrong file type is named as such, even when short).</summary>
    private static byte[] ReadHeader(Stream stream, string path, int size, int expectedMagic, string kind)
    {
        var header = new byte[size];
        int read = ReadFully(stream, header.AsMemory(0, 4), path);
        if (read == 4)
        {
            int magic = BinaryPrimitives.ReadInt32BigEndian(header);
            if (magic != expectedMagic)
                throw new InvalidDataException($"File '{path}' is not {kind}: magic {magic}, expected {expectedMagic}.");
            read += ReadFully(stream, header.AsMemory(4), path);
        }
        if (read < size)
            throw new InvalidDataException($"File '{path}' is truncated: the idx header needs {size} bytes, but the file holds {read}.");
        return header;
    }

    private static int ReadFully(Stream stream, Memory<byte> buffer, string path)
    {
        try
        {
            return stream.ReadAtLeast(buffer.Span, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"File '{path}' is not a valid gzip file: {e.Message}", e);
        }
    }
}
