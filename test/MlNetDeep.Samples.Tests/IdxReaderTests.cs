using MlNetDeep.Samples.Data;

namespace MlNetDeep.Samples.Tests;

[TestClass]
public sealed class IdxReaderTests
{
    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void ReadImages_PlainOrGzip_ReturnsSizesAndPixelsInFileOrder(bool gzip)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("images");
        var bytes = TestFiles.ImagesBytes(3, rows: 2, columns: 3);
        TestFiles.Write(path, bytes, gzip);

        var images = IdxReader.ReadImages(path);

        Assert.AreEqual((3, 2, 3), (images.Count, images.Rows, images.Columns));
        CollectionAssert.AreEqual(bytes[16..], images.Pixels);
        CollectionAssert.AreEqual(bytes[(16 + 6)..(16 + 12)], images.Image(1).ToArray());
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void ReadLabels_PlainOrGzip_ReturnsLabels(bool gzip)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("labels.gz");
        TestFiles.Write(path, TestFiles.LabelsBytes([3, 1, 4, 1, 5]), gzip);

        CollectionAssert.AreEqual(new byte[] { 3, 1, 4, 1, 5 }, IdxReader.ReadLabels(path));
    }

    [TestMethod]
    public void ReadImages_WrongMagic_NamesFileAndMagic()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("x");
        TestFiles.Write(path, TestFiles.ImagesBytes(1, magic: 1234));

        var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(path));
        Assert.AreEqual($"File '{path}' is not an idx3 image file: magic 1234, expected 2051.", e.Message);
    }

    [TestMethod]
    public void ReadImages_GivenALabelFile_SaysItIsNotAnImageFile()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("train-labels-idx1-ubyte.gz");
        TestFiles.Write(path, TestFiles.LabelsBytes([1, 2]), gzip: true);

        var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(path));
        Assert.AreEqual($"File '{path}' is not an idx3 image file: magic 2049, expected 2051.", e.Message);
    }

    [TestMethod]
    public void ReadLabels_WrongMagic_NamesFileAndMagic()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("labels");
        TestFiles.Write(path, TestFiles.LabelsBytes([1], magic: 7));

        var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadLabels(path));
        Assert.AreEqual($"File '{path}' is not an idx1 label file: magic 7, expected 2049.", e.Message);
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void ReadImages_TruncatedPixels_SaysHowManyBytesWereExpectedAndFound(bool gzip)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("images");
        var bytes = TestFiles.ImagesBytes(3, rows: 2, columns: 2);
        TestFiles.Write(path, bytes[..^5], gzip);

        var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(path));
        Assert.AreEqual($"File '{path}' is truncated: the header announces 3 images of 2x2 pixels (12 bytes), but only 7 bytes follow.", e.Message);
    }

    [TestMethod]
    public void ReadImages_TruncatedHeader_SaysSo()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("images");
        TestFiles.Write(path, TestFiles.ImagesBytes(1)[..5]);

        var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(path));
        Assert.AreEqual($"File '{path}' is truncated: the idx header needs 16 bytes, but the file holds 5.", e.Message);
    }

    [TestMethod]
    public void ReadLabels_Truncated_SaysHowManyLabelsWereAnnounced()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("labels");
        TestFiles.Write(path, TestFiles.LabelsBytes([1, 2], declaredCount: 5));

        var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadLabels(path));
        Assert.AreEqual($"File '{path}' is truncated: the header announces 5 labels, but only 2 bytes follow.", e.Message);
    }

    [TestMethod]
    public void ReadImages_NegativeCount_ReportsInvalidHeader()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("images");
        TestFiles.Write(path, TestFiles.ImagesBytes(0, declaredCount: -1));

        var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(path));
        Assert.AreEqual($"File '{path}' has an invalid idx3 header: -1 images of 28x28 pixels.", e.Message);
    }

    [TestMethod]
    public void ReadImages_CorruptGzip_SaysNotAValidGzipFile()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("images.gz");
        var gz = TestFiles.Gzip(TestFiles.ImagesBytes(2));
        for (int i = 12; i < gz.Length - 8; i++)
            gz[i] ^= 0x5A;
        TestFiles.Write(path, gz);

        var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(path));
        StringAssert.StartsWith(e.Message, $"File '{path}' ");
    }

    [TestMethod]
    public void ReadImages_MissingFile_ThrowsFileNotFoundNamingIt()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-idx-file-" + Guid.NewGuid().ToString("N"));

        var e = Assert.ThrowsExactly<FileNotFoundException>(() => IdxReader.ReadImages(path));
        Assert.AreEqual($"File '{path}' does not exist.", e.Message);
    }
}
