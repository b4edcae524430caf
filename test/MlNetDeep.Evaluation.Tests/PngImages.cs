using System.Buffers.Binary;
using System.IO.Compression;

namespace MlNetDeep.Evaluation.Tests;

/// <summary>
/// A minimal PNG reader and chunk writer for tests (8-bit, non-interlaced gray, RGB, gray+alpha and RGBA), so a
/// test can check what a plot drew without trusting the library that drew it.
/// </summary>
internal static class PngImages
{
    public static readonly byte[] Signature = { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A };

    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        uint c = (uint)n;
        for (int k = 0; k < 8; k++)
            c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    /// <summary>Width and height from the IHDR chunk, after checking the signature.</summary>
    public static (int Width, int Height) Size(byte[] png)
    {
        CollectionAssert.AreEqual(Signature, png.Take(8).ToArray(), "PNG signature");
        Assert.AreEqual("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4), "first chunk");
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    /// <summary>Decodes the image, checking every chunk's CRC; alpha is composited over white.</summary>
    public static RgbImage Decode(byte[] png)
    {
        var (width, height) = Size(png);
        int bitDepth = png[24], colorType = png[25], interlace = png[28];
        Assert.AreEqual(8, bitDepth, "bit depth");
        Assert.AreEqual(0, interlace, "interlace");
        int channels = colorType switch { 0 => 1, 2 => 3, 4 => 2, 6 => 4, _ => throw new AssertFailedException($"unsupported PNG color type {colorType}") };
        using var idat = new MemoryStream();
        int offset = 8;
        bool ended = false;
        while (offset < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            string type = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            Assert.AreEqual(crc, Crc(png.AsSpan(offset + 4, length + 4)), $"CRC of chunk {type}");
            if (type == "IDAT")
                idat.Write(png, offset + 8, length);
            offset += 12 + length;
            if (type == "IEND")
            {
                ended = true;
                break;
            }
        }
        Assert.IsTrue(ended, "IEND chunk");
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        using var rawStream = new MemoryStream();
        z.CopyTo(rawStream);
        byte[] raw = rawStream.ToArray();
        int stride = width * channels;
        Assert.AreEqual(height * (stride + 1), raw.Length, "decompressed size");
        var pixels = new (byte, byte, byte)[width * height];
        var previous = new byte[stride];
        var current = new byte[stride];
        for (int y = 0; y < height; y++)
        {
            int filter = raw[y * (stride + 1)];
            Array.Copy(raw, y * (stride + 1) + 1, current, 0, stride);
            for (int i = 0; i < stride; i++)
            {
                int a = i >= channels ? current[i - channels] : 0, b = previous[i], c = i >= channels ? previous[i - channels] : 0;
                current[i] = (byte)(current[i] + filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new AssertFailedException($"unknown PNG filter {filter}"),
                });
            }
            for (int x = 0; x < width; x++)
            {
                int p = x * channels;
                (int r, int g, int bl, int alpha) = channels switch
                {
                    1 => (current[p], current[p], current[p], 255),
                    2 => (current[p], current[p], current[p], current[p + 1]),
                    3 => (current[p], current[p + 1], current[p + 2], 255),
                    _ => (current[p], current[p + 1], current[p + 2], current[p + 3]),
                };
                pixels[y * width + x] = (Over(r, alpha), Over(g, alpha), Over(bl, alpha));
            }
            (previous, current) = (current, previous);
        }
        return new RgbImage(width, height, pixels);
    }

    /// <summary>Writes one chunk: length, type, data, CRC.</summary>
    public static void WriteChunk(Stream stream, string type, byte[] data)
    {
        var buffer = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(buffer, data.Length);
        System.Text.Encoding.ASCII.GetBytes(type, buffer.AsSpan(4));
        data.CopyTo(buffer, 8);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(8 + data.Length), Crc(buffer.AsSpan(4, 4 + data.Length)));
        stream.Write(buffer);
    }

    private static uint Crc(ReadOnlySpan<byte> bytes)
    {
        uint c = 0xFFFFFFFFu;
        foreach (byte b in bytes)
            c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static byte Over(int value, int alpha) => (byte)((value * alpha + 255 * (255 - alpha) + 127) / 255);
}

/// <summary>Decoded RGB pixels, row by row.</summary>
internal sealed record RgbImage(int Width, int Height, (byte R, byte G, byte B)[] Pixels)
{
    public (byte R, byte G, byte B) this[int x, int y] => Pixels[y * Width + x];

    public int CountPixels(Func<(byte R, byte G, byte B), bool> predicate) => Pixels.Count(predicate);

    /// <summary>How many distinct gray levels (R = G = B) the image has, black and white included.</summary>
    public int DistinctGrays() => Pixels.Where(p => p.R == p.G && p.G == p.B).Select(p => p.R).Distinct().Count();
}
