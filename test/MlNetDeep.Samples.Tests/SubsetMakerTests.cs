using MlNetDeep.Samples.Data;

namespace MlNetDeep.Samples.Tests;

[TestClass]
public sealed class SubsetMakerTests
{
    [TestMethod]
    public void Apportion_SplitsInProportionToGroupSize()
    {
        CollectionAssert.AreEqual(new[] { 181, 101, 18 }, SubsetMaker.Apportion([2500, 1400, 250], 300));
        CollectionAssert.AreEqual(new[] { 79, 221 }, SubsetMaker.Apportion([500, 1396], 300));
        CollectionAssert.AreEqual(new[] { 2, 1 }, SubsetMaker.Apportion([5, 5], 3));
    }

    [TestMethod]
    public void EvenlySpaced_PicksSpreadPositions()
    {
        var files = Enumerable.Range(0, 10).Select(i => i.ToString()).ToArray();

        CollectionAssert.AreEqual(new[] { "0", "3", "6" }, SubsetMaker.EvenlySpaced(files, 3).ToArray());
        Assert.HasCount(10, SubsetMaker.EvenlySpaced(files, 50).ToArray());
    }

    [TestMethod]
    public void Make_FromFakeFullData_WritesASubsetTheLoadersRead()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteMnistFolder(dir.Combine("fashion"), train: 12, test: 5);
        TestFiles.WriteSpamFolder(dir.Combine("spam", "data"));
        TestFiles.WriteText(dir.Combine("spam", "LICENSE"), "license text");

        SubsetMaker.Make(dir.Combine("fashion"), dir.Combine("spam"), dir.Combine("out"), trainImages: 10, testImages: 3, hamMails: 3, spamMails: 2);

        var images = MnistLoader.Load(dir.Combine("out", "fashion-mnist"), MnistKind.FashionMnist);
        var full = MnistLoader.Load(dir.Combine("fashion"), MnistKind.FashionMnist);
        Assert.AreEqual((10, 3), (images.Train.Count, images.Test.Count));
        CollectionAssert.AreEqual(full.Train[9].Pixels, images.Train[9].Pixels, "the first rows, unchanged");
        var mails = SpamAssassinLoader.Load(dir.Combine("out", "spam-assassin", "spam-assassin-subset.zip"));
        CollectionAssert.AreEqual(
            new[] { "easy-ham-1/00001.abc1.txt", "easy-ham-2/00001.abc1.txt", "hard-ham-1/00001.def.txt", "spam-1/00001.abc1.txt", "spam-2/00001.abc1.txt" },
            mails.Examples.Select(e => e.Source).ToArray());
        Assert.AreEqual("Caf\u00e9 news\nPrix: 5 \u00e9cus\r\n", mails.Examples[2].Text, "whole files, bytes unchanged");
        Assert.AreEqual("license text", File.ReadAllText(dir.Combine("out", "spam-assassin", "LICENSE")));
    }
}
