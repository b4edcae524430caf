using MlNetDeep.Samples.Data;

namespace MlNetDeep.Samples.Tests;

[TestClass]
public sealed class SpamAssassinLoaderTests
{
    [TestMethod]
    public void Load_FakeDataFolder_ReadsEveryGroupInOrderWithLabels()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteSpamFolder(dir.Path);

        var corpus = SpamAssassinLoader.Load(dir.Path);

        CollectionAssert.AreEqual(
            new[]
            {
                "easy-ham-1/00001.abc1.txt", "easy-ham-1/00002.abc2.txt", "easy-ham-2/00001.abc1.txt", "easy-ham-2/00002.abc2.txt",
                "hard-ham-1/00001.def.txt", "spam-1/00001.abc1.txt", "spam-1/00002.abc2.txt", "spam-2/00001.abc1.txt", "spam-2/00002.abc2.txt",
            },
            corpus.Examples.Select(e => e.Source).ToArray());
        CollectionAssert.AreEqual(new[] { false, false, false, false, false, true, true, true, true }, corpus.Examples.Select(e => e.Label).ToArray());
        Assert.AreEqual("spam-1 mail 2\nBody of spam-1 2.\nSecond line.\n", corpus.Examples[6].Text);
        Assert.IsNull(corpus.PresetTest);
    }

    [TestMethod]
    public void Load_Latin1MailWithCrLf_DecodesAndSplitsHeaderFromBody()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteSpamFolder(dir.Path);

        var mail = SpamAssassinLoader.Load(dir.Path).Examples.Single(e => e.Source.StartsWith("hard-ham-1/", StringComparison.Ordinal));

        Assert.AreEqual("Caf\u00e9 news\nPrix: 5 \u00e9cus\r\n", mail.Text);
    }

    [TestMethod]
    public void Load_PackageFolder_FindsTheDataSubfolder()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteSpamFolder(dir.Combine("data"));

        Assert.HasCount(9, SpamAssassinLoader.Load(dir.Path).Examples);
    }

    [TestMethod]
    public void Load_MissingGroup_NamesTheGroupAndTheExpectedOnes()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteSpamFolder(dir.Path);
        Directory.Delete(dir.Combine("spam-2"), recursive: true);

        var e = Assert.ThrowsExactly<DirectoryNotFoundException>(() => SpamAssassinLoader.Load(dir.Path));
        Assert.AreEqual(
            $"SpamAssassin folder '{dir.Path}' has no group folder 'spam-2'; expected easy-ham-1, easy-ham-2, hard-ham-1, spam-1, spam-2.",
            e.Message);
    }

    [TestMethod]
    public void EmbeddedSubset_Has300HamAnd300SpamSpreadOverTheGroups()
    {
        var corpus = SpamAssassinLoader.Load(new DataLocations().EmbeddedSpamAssassin);

        Assert.HasCount(600, corpus.Examples);
        Assert.AreEqual(300, corpus.Examples.Count(e => e.Label));
        var perGroup = corpus.Examples.GroupBy(e => e.Source.Split('/')[0]).ToDictionary(g => g.Key, g => g.Count());
        CollectionAssert.AreEquivalent(
            new Dictionary<string, int> { ["easy-ham-1"] = 181, ["easy-ham-2"] = 101, ["hard-ham-1"] = 18, ["spam-1"] = 79, ["spam-2"] = 221 },
            perGroup);
        Assert.IsTrue(corpus.Examples.Where(e => e.Label).All(e => e.Source.StartsWith("spam-", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void EmbeddedSubset_TextIsSubjectThenRawBody()
    {
        var corpus = SpamAssassinLoader.Load(new DataLocations().EmbeddedSpamAssassin);

        var first = corpus.Examples.Single(e => e.Source == "spam-1/00001.7848dde101aa985090474a91ec93fcf0.txt");

        StringAssert.StartsWith(first.Text, "Life Insurance - Why Pay More?\n<!DOCTYPE HTML PUBLIC");
        StringAssert.Contains(first.Text, "=3D", "the body stays raw: no quoted-printable decoding");
        Assert.IsFalse(first.Text.Contains("Return-Path:", StringComparison.Ordinal), "headers other than Subject are dropped");
    }
}
