namespace MlNetDeep.Samples.Data;

/// <summary>The content of an idx3 image file: <see cref="Count"/> images of <see cref="Rows"/> × <see cref="Columns"/> bytes.</summary>
/// <param name="Count">The number of images.</param>
/// <param name="Rows">The height of each image in pixels.</param>
/// <param name="Columns">The width of each image in pixels.</param>
/// <param name="Pixels">All pixel bytes (0-255), image after image, row-major.</param>
public sealed record IdxImages(int Count, int Rows, int Columns, byte[] Pixels)
{
    /// <summary>The number of pixels in one image.</summary>
    public int PixelsPerImage => Rows * Columns;

    /// <summary>The bytes of one image.</summary>
    /// <param name="index">The image's position in the file, from 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside 0..Count-1.</exception>
    public ReadOnlySpan<byte> Image(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);
    }
}
