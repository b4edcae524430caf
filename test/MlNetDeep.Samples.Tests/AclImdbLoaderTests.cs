using MlNetDeep.Samples.Data;

namespace MlNetDeep.Samples.Tests;

[TestClass]
public sealed class AclImdbLoaderTests
{
    private static void WriteFakeTree(string root)
    {
        TestFiles.WriteText(Path.Combine(root, "train", "pos", "0_9.txt"), "Great film.<br />Loved it.");
        TestFiles.WriteText(Path.Combine(root, "train", "pos", "1_8.txt"), "Fine acting.");
        TestFiles.WriteText(Path.Combine(root, "train", "neg", "0_2.txt"), "Dull.");
        TestFiles.WriteText(Path.Combine(root, "train", "unsup", "0_0.txt"), "ignored");
        TestFiles.WriteText(Path.Combine(root, "test", "pos", "0_10.txt"), "Masterpiece \u2014 truly.");
        TestFiles.WriteText(Path.Combine(root, "test", "neg", "0_1.txt"), "Awful.");
        TestFiles.WriteText(Path.Combine(root, "test", "neg", "1_3.txt"), "Meh.");
        TestFiles.WriteText(Path.Combine(root, "README"), "not a review");
    }

    [TestMethod]
    public void Load_FakeTree_ReadsTrainAndTestWithLabels()
    {
        using var dir = new TempDirectory();
        WriteFakeTree(dir.Combine("aclImdb"));

        var corpus = AclImdbLoader.Load(dir.Combine("aclImdb"));

        CollectionAssert.AreEqual(new[] { "train/pos/0_9.txt", "train/pos/1_8.txt", "train/neg/0_2.txt" }, corpus.Examples.Select(e => e.Source).ToArray());
        CollectionAssert.AreEqual(new[] { true, true, false }, corpus.Examples.Select(e => e.Label).ToArray());
        Assert.AreEqual("Great film.<br />Loved it.", corpus.Examples[0].Text);
        Assert.IsNotNull(corpus.PresetTest);
        CollectionAssert.AreEqual(new[] { true, false, false }, corpus.PresetTest.Select(e => e.Label).ToArray());
        Assert.AreEqual("Masterpiece \u2014 truly.", corpus.PresetTest[0].Text);
    }

    [TestMethod]
    public void Load_ParentFolder_FindsAclImdbInside()
    {
        using var dir = new TempDirectory();
        WriteFakeTree(dir.Combine("aclImdb"));

        Assert.IsTrue(AclImdbLoader.LooksLikeAclImdb(dir.Path));
        Assert.HasCount(3, AclImdbLoader.Load(dir.Path).Examples);
    }

    [TestMethod]
    public void Load_MissingTestNeg_SaysWhichFoldersAreNeeded()
    {
        using var dir = new TempDirectory();
        WriteFakeTree(dir.Path);
        Directory.Delete(dir.Combine("test", "neg"), recursive: true);

        var e = Assert.ThrowsExactly<DirectoryNotFoundException>(() => AclImdbLoader.Load(dir.Path));
        Assert.AreEqual($"Data folder '{dir.Path}' is not an aclImdb folder: it needs the review folders train/pos, train/neg, test/pos, test/neg.", e.Message);
    }

    [TestMethod]
    public void Split_PresetParts_AreKeptAndShuffledWithTheSeed()
    {
        using var dir = new TempDirectory();
        for (int i = 0; i < 20; i++)
        {
            TestFiles.WriteText(dir.Combine("train", i % 2 == 0 ? "pos" : "neg", $"{i}_5.txt"), $"review {i}");
            TestFiles.WriteText(dir.Combine("test", i % 2 == 0 ? "pos" : "neg", $"{i}_5.txt"), $"test review {i}");
        }
        var corpus = AclImdbLoader.Load(dir.Path);

        var a = corpus.Split(seed: 1);
        var b = corpus.Split(seed: 1);

        CollectionAssert.AreEquivalent(corpus.Examples.ToArray(), a.Train.ToArray());
        CollectionAssert.AreEquivalent(corpus.PresetTest!.ToArray(), a.Test.ToArray());
        CollectionAssert.AreEqual(a.Train.ToArray(), b.Train.ToArray());
        CollectionAssert.AreNotEqual(corpus.Examples.ToArray(), a.Train.ToArray(), "the reading order (all pos, then all neg) is shuffled");
    }
}
