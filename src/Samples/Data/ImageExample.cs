using Microsoft.ML.Data;

namespace MlNetDeep.Samples.Data;

/// <summary>One 28 × 28 grey-scale image as ML.NET reads it: 784 pixel values in [0, 1] and a class index.</summary>
public sealed class ImageExample
{
    /// <summary>The number of pixels in an MNIST or Fashion-MNIST image (28 × 28).</summary>
    public const int PixelCount = 28 * 28;

    /// <summary>The pixels, row-major, each the file's byte divided by 255 (as the lecture's <c>astype("float32") / 255</c>); ML.NET column "Features".</summary>
    [ColumnName("Features")]
    [VectorType(PixelCount)]
    public float[] Pixels { get; set; } = new float[PixelCount];

    /// <summary>The class index 0-9; names are in <see cref="ImageCorpus.ClassNames"/>. ML.NET column "Label" (Int32).</summary>
    public int Label { get; set; }
}
