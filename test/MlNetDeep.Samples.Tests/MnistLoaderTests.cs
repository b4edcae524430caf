using MlNetDeep.Samples.Data;

namespace MlNetDeep.Samples.Tests;

[TestClass]
public sealed class MnistLoaderTests
{
    [TestMethod]
    public void LoadPair_ScalesPixelsBy255AndKeepsLabels()
    {
        using var dir = new TempDirectory();
        TestFiles.Write(dir.Combine("i"), TestFiles.ImagesBytes(2, pixel: (i, p) => p == 0 ? (byte)255 : p == 1 ? (byte)51 : (byte)i));
        TestFiles.Write(dir.Combine("l"), TestFiles.LabelsBytes([7, 9]));

        var rows = MnistLoader.LoadPair(dir.Combine("i"), dir.Combine("l"));

        Assert.HasCount(2, rows);
        Assert.AreEqual((7, 9), (rows[0].Label, rows[1].Label));
        Assert.HasCount(784, rows[1].Pixels);
        Assert.AreEqual(1f, rows[1].Pixels[0]);
        Assert.AreEqual(51 / 255f, rows[1].Pixels[1]);
        Assert.AreEqual(1 / 255f, rows[1].Pixels[783]);
    }

    [TestMethod]
    public void LoadPair_CountsDiffer_NamesBothFilesAndCounts()
    {
        using var dir = new TempDirectory();
        var images = dir.Combine("train-images-idx3-ubyte");
        var labels = dir.Combine("train-labels-idx1-ubyte");
        TestFiles.Write(images, TestFiles.ImagesBytes(3));
        TestFiles.Write(labels, TestFiles.LabelsBytes([1, 2]));

        var e = Assert.ThrowsExactly<InvalidDataException>(() => MnistLoader.LoadPair(images, labels));
        Assert.AreEqual($"Files '{images}' and '{labels}' do not match: 3 images but 2 labels.", e.Message);
    }

    [TestMethod]
    public void LoadPair_ImagesNot28x28_SaysSo()
    {
        using var dir = new TempDirectory();
        TestFiles.Write(dir.Combine("i"), TestFiles.ImagesBytes(1, rows: 32, columns: 32));
        TestFiles.Write(dir.Combine("l"), TestFiles.LabelsBytes([1]));

        var e = Assert.ThrowsExactly<InvalidDataException>(() => MnistLoader.LoadPair(dir.Combine("i"), dir.Combine("l")));
        Assert.AreEqual($"File '{dir.Combine("i")}' holds 32x32 images; MNIST-format images are 28x28.", e.Message);
    }

    [TestMethod]
    public void LoadPair_LabelAbove9_NamesRowAndLabel()
    {
        using var dir = new TempDirectory();
        TestFiles.Write(dir.Combine("i"), TestFiles.ImagesBytes(2));
        TestFiles.Write(dir.Combine("l"), TestFiles.LabelsBytes([1, 12]));

        var e = Assert.ThrowsExactly<InvalidDataException>(() => MnistLoader.LoadPair(dir.Combine("i"), dir.Combine("l")));
        Assert.AreEqual($"File '{dir.Combine("l")}' holds label 12 at row 1; expected 0-9.", e.Message);
    }

    [TestMethod]
    [DataRow(true, false)]
    [DataRow(false, false)]
    [DataRow(false, true)]
    [DataRow(true, true)]
    public void Load_AcceptsBothFileSpellingsPlainOrGzip(bool gzip, bool dotSpelling)
    {
        using var dir = new TempDirectory();
        TestFiles.WriteMnistFolder(dir.Path, train: 5, test: 3, gzip: gzip, dotSpelling: dotSpelling);

        var corpus = MnistLoader.Load(dir.Path, MnistKind.Digits);

        Assert.AreEqual((5, 3), (corpus.Train.Count, corpus.Test.Count));
        CollectionAssert.AreEqual(new[] { 0, 1, 2, 3, 4 }, corpus.Train.Select(r => r.Label).ToArray());
        Assert.AreEqual("MNIST", corpus.Name);
        Assert.AreEqual("7", corpus.ClassNames[7]);
    }

    [TestMethod]
    public void Load_MissingTestLabels_NamesTheMissingFile()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteMnistFolder(dir.Path, train: 2, test: 2);
        File.Delete(dir.Combine("t10k-labels-idx1-ubyte.gz"));

        var e = Assert.ThrowsExactly<FileNotFoundException>(() => MnistLoader.Load(dir.Path));
        Assert.AreEqual(
            $"Data folder '{dir.Path}' has no t10k-labels-idx1-ubyte[.gz] (or t10k-labels.idx1-ubyte[.gz]); an MNIST-format folder holds train-images, train-labels, t10k-images and t10k-labels.",
            e.Message);
    }

    [TestMethod]
    public void Load_Auto_DarkImagesAreDigitsAndBrightImagesAreFashion()
    {
        using var dark = new TempDirectory();
        using var bright = new TempDirectory();
        TestFiles.WriteMnistFolder(dark.Path, 4, 2, pixel: (i, p) => p % 10 == 0 ? (byte)255 : (byte)0);   // mean 0.10
        TestFiles.WriteMnistFolder(bright.Path, 4, 2, pixel: (i, p) => p % 10 < 3 ? (byte)255 : (byte)0);  // mean 0.30

        Assert.AreEqual(MnistKind.Digits, MnistLoader.Load(dark.Path).Kind);
        Assert.AreEqual(MnistKind.FashionMnist, MnistLoader.Load(bright.Path).Kind);
    }

    [TestMethod]
    public void EmbeddedSubset_Has4000TrainAnd1000TestFashionImagesWithTheRecordedLabelHistogram()
    {
        var corpus = MnistLoader.Load(new DataLocations().EmbeddedFashionMnist);

        Assert.AreEqual(MnistKind.FashionMnist, corpus.Kind, "auto-detection on the real Fashion-MNIST subset");
        Assert.AreEqual((4000, 1000), (corpus.Train.Count, corpus.Test.Count));
        int[] train = Histogram(corpus.Train), test = Histogram(corpus.Test);
        // the counts recorded in src/Samples/data/README.md
        CollectionAssert.AreEqual(new[] { 373, 440, 404, 409, 395, 391, 400, 413, 380, 395 }, train);
        CollectionAssert.AreEqual(new[] { 107, 105, 111, 93, 115, 87, 97, 95, 95, 95 }, test);
        Assert.IsTrue(corpus.Train.All(r => r.Pixels.Length == 784 && r.Pixels.All(v => v is >= 0f and <= 1f)));
        double mean = corpus.Train.Take(1000).Average(r => r.Pixels.Average());
        Assert.AreEqual(0.286, mean, 0.02, "Fashion-MNIST's mean pixel");
        Assert.AreEqual("Ankle boot", corpus.ClassNames[9]);
    }

    private static int[] Histogram(IReadOnlyList<ImageExample> rows)
    {
        var counts = new int[10];
        foreach (var r in rows)
            counts[r.Label]++;
        return counts;
    }
}
