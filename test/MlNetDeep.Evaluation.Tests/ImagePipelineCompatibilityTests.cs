using System.Buffers.Binary;
using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Evaluation.Tests;

/// <summary>
/// Issue 8: adding MlNetDeep.Evaluation must never break an in-box ML.NET component. Microsoft.ML.ImageAnalytics
/// 5.0.1 is built against SkiaSharp 2.88 (it calls <c>SKBitmap.GetPixelSpan()</c>, whose signature changed in
/// SkiaSharp 3); plotting must not lift the process to a SkiaSharp it cannot use. Both run in this one process.
/// </summary>
[TestClass]
public sealed class ImagePipelineCompatibilityTests
{
    public TestContext TestContext { get; set; } = null!;

    private sealed class ImageRow
    {
        public string ImagePath { get; set; } = "";
    }

    [TestMethod]
    public void ImagePipeline_AndLearningCurvePng_RunInOneProcess()
    {
        string folder = Path.Combine(TestContext.TestRunResultsDirectory ?? Path.GetTempPath(), "image-pipeline");
        Directory.CreateDirectory(folder);
        // a 4x2 RGB image: left half pure red, right half pure blue
        WriteRgbPng(Path.Combine(folder, "red-blue.png"), 4, 2, (x, _) => x < 2 ? (255, 0, 0) : (0, 0, 255));

        // plotting first: it loads the plotting stack's SkiaSharp into the process before the image pipeline runs
        string plotPath = Path.Combine(folder, "learning-curve.png");
        LearningCurvePlot.ForHistory(Histories.Overfitting()).SavePng(plotPath);

        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new ImageRow { ImagePath = "red-blue.png" } });
        var pipeline = ml.Transforms.LoadImages("Image", folder, nameof(ImageRow.ImagePath))
            .Append(ml.Transforms.ResizeImages("Image", imageWidth: 2, imageHeight: 1, resizing: Microsoft.ML.Transforms.Image.ImageResizingEstimator.ResizingKind.Fill))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image", interleavePixelColors: false));
        var pixels = pipeline.Fit(data).Transform(data).GetColumn<VBuffer<float>>("Pixels").Single().DenseValues().ToArray();

        // planar R, G, B over the 2x1 image: the left pixel red, the right pixel blue
        Assert.HasCount(6, pixels);
        CollectionAssert.AreEqual(new float[] { 255, 0, 0, 0, 0, 255 }, pixels, $"pixels were {string.Join(", ", pixels)}");

        // the plot written in the same process is a real PNG with drawn content, including text (anti-aliased glyphs give many gray levels)
        byte[] png = File.ReadAllBytes(plotPath);
        Assert.AreEqual((800, 450), PngImages.Size(png));
        var image = PngImages.Decode(png);
        Assert.IsGreaterThan(5_000, image.CountPixels(p => p != (255, 255, 255)), "the plot has drawn content");
        Assert.IsGreaterThan(40, image.DistinctGrays(), "anti-aliased text and lines give many gray levels");
    }

    [TestMethod]
    public void PlottingDependencies_StayOnSkiaSharp2_WhichImageAnalyticsIsBuiltFor()
    {
        // the test project references MlNetDeep.Evaluation and Microsoft.ML.ImageAnalytics side by side, as a user would
        var skia = typeof(SkiaSharp.SKBitmap).Assembly.GetName();
        Assert.AreEqual(2, skia.Version!.Major, $"SkiaSharp {skia.Version} was resolved; Microsoft.ML.ImageAnalytics 5.0.1 needs SkiaSharp 2.88.x");
    }

    private static void WriteRgbPng(string path, int width, int height, Func<int, int, (int R, int G, int B)> pixel)
    {
        var raw = new byte[height * (1 + 3 * width)];
        for (int y = 0, i = 0; y < height; y++)
        {
            raw[i++] = 0; // filter: none
            for (int x = 0; x < width; x++)
            {
                var (r, g, b) = pixel(x, y);
                raw[i++] = (byte)r;
                raw[i++] = (byte)g;
                raw[i++] = (byte)b;
            }
        }
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            z.Write(raw);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // color type: RGB
        using var file = File.Create(path);
        file.Write(PngImages.Signature);
        PngImages.WriteChunk(file, "IHDR", header);
        PngImages.WriteChunk(file, "IDAT", compressed.ToArray());
        PngImages.WriteChunk(file, "IEND", Array.Empty<byte>());
    }
}
