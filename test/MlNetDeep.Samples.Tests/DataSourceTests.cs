using MlNetDeep.Samples.Data;

namespace MlNetDeep.Samples.Tests;

[TestClass]
public sealed class DataSourceTests
{
    private static DataLocations Nowhere(TempDirectory dir) => new()
    {
        EmbeddedDirectory = new DataLocations().EmbeddedDirectory,
        FashionMnistDirectories = [dir.Combine("no-fashion")],
        SpamAssassinDirectory = dir.Combine("no-spam"),
    };

    [TestMethod]
    public void Resolve_Default_UsesTheEmbeddedSubset()
    {
        var source = DataSource.Resolve(null, full: false);

        Assert.AreEqual("embedded Fashion-MNIST subset", source.ImagesOrigin);
        Assert.AreEqual("embedded SpamAssassin subset", source.TextOrigin);
        Assert.AreEqual(4000, source.Images.Train.Count);
        Assert.AreEqual("SpamAssassin", source.Text.Name);
        var once = source.Images;
        var twice = source.Images;
        Assert.AreSame(once, twice, "loaded once, then kept");
    }

    [TestMethod]
    public void Resolve_DataFolderMissing_Throws()
    {
        using var dir = new TempDirectory();
        var missing = dir.Combine("nope");

        var e = Assert.ThrowsExactly<DirectoryNotFoundException>(() => DataSource.Resolve(missing, full: false));
        Assert.AreEqual($"Data folder '{missing}' does not exist.", e.Message);
    }

    [TestMethod]
    public void Resolve_DataPathIsAFile_SaysToGiveTheFolder()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("train-images-idx3-ubyte.gz");
        TestFiles.Write(file, [1, 2, 3]);

        var e = Assert.ThrowsExactly<DirectoryNotFoundException>(() => DataSource.Resolve(file, full: false));
        Assert.AreEqual($"Data folder '{file}' is a file; give the folder that holds the idx files or the aclImdb folder.", e.Message);
    }

    [TestMethod]
    public void Resolve_DataFolderWithNeither_SaysWhatItShouldHold()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteText(dir.Combine("notes.txt"), "hello");

        var e = Assert.ThrowsExactly<InvalidDataException>(() => DataSource.Resolve(dir.Path, full: false));
        StringAssert.StartsWith(e.Message, $"Data folder '{dir.Path}' holds neither MNIST idx files (train-images-idx3-ubyte[.gz]");
        StringAssert.Contains(e.Message, "nor an IMDB aclImdb folder (train/pos, train/neg, test/pos, test/neg).");
    }

    [TestMethod]
    public void Resolve_DataFolderWithIdxFiles_ReplacesTheImagesOnly()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteMnistFolder(dir.Path, train: 6, test: 2, dotSpelling: true);

        var source = DataSource.Resolve(dir.Path, full: false);

        Assert.AreEqual(dir.Path, source.ImagesOrigin);
        Assert.AreEqual(6, source.Images.Train.Count);
        Assert.AreEqual("embedded SpamAssassin subset", source.TextOrigin);
    }

    [TestMethod]
    public void Resolve_DataFolderWithAclImdb_ReplacesTheTextOnly()
    {
        using var dir = new TempDirectory();
        foreach (var f in new[] { "train/pos", "train/neg", "test/pos", "test/neg" })
            TestFiles.WriteText(dir.Combine("aclImdb", f, "0_1.txt"), f);

        var source = DataSource.Resolve(dir.Path, full: false);

        Assert.AreEqual("IMDB", source.Text.Name);
        Assert.AreEqual("embedded Fashion-MNIST subset", source.ImagesOrigin);
    }

    [TestMethod]
    public void Resolve_FullWithoutInstalledImages_NamesTheSetupScript()
    {
        using var dir = new TempDirectory();

        var e = Assert.ThrowsExactly<DirectoryNotFoundException>(() => DataSource.Resolve(null, full: true, Nowhere(dir)));
        Assert.AreEqual(
            $"The full Fashion-MNIST data set is not installed (looked in {dir.Combine("no-fashion")}). Run build/setup.sh to install it, or pass --data DIR with the four idx files.",
            e.Message);
    }

    [TestMethod]
    public void Resolve_FullWithoutInstalledSpamAssassin_NamesTheSetupScript()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteMnistFolder(dir.Combine("fashion"), 2, 2);
        var locations = Nowhere(dir);
        locations = new DataLocations
        {
            EmbeddedDirectory = locations.EmbeddedDirectory,
            FashionMnistDirectories = [dir.Combine("fashion")],
            SpamAssassinDirectory = locations.SpamAssassinDirectory,
        };

        var e = Assert.ThrowsExactly<DirectoryNotFoundException>(() => DataSource.Resolve(null, full: true, locations));
        Assert.AreEqual(
            $"The full SpamAssassin corpus is not installed at '{dir.Combine("no-spam")}'. Run build/setup.sh to install it (it honours MLNETDEEP_DATA), or pass --data DIR with an aclImdb folder.",
            e.Message);
    }

    [TestMethod]
    public void Resolve_FullWithInstalledData_UsesThem()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteMnistFolder(dir.Combine("fashion"), 3, 1);
        TestFiles.WriteSpamFolder(dir.Combine("spam", "data"));
        var locations = new DataLocations
        {
            FashionMnistDirectories = [dir.Combine("missing"), dir.Combine("fashion")],
            SpamAssassinDirectory = dir.Combine("spam"),
        };

        var source = DataSource.Resolve(null, full: true, locations);

        Assert.AreEqual((3, MnistKind.FashionMnist), (source.Images.Train.Count, source.Images.Kind));
        Assert.HasCount(9, source.Text.Examples);
    }
}
