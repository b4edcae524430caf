using MlNetDeep.Samples.Data;

namespace MlNetDeep.Samples.Tests;

[TestClass]
public sealed class DataSplitsTests
{
    private static readonly int[] Ten = Enumerable.Range(0, 10).ToArray();

    [TestMethod]
    public void ShuffleSplit_6046Mails_Gives4534TrainAnd1512TestAsAPartition()
    {
        var rows = Enumerable.Range(0, 6046).ToArray();

        var split = DataSplits.ShuffleSplit(rows, 0.25, seed: 7);

        Assert.AreEqual((4534, 1512), (split.Train.Count, split.Test.Count));
        CollectionAssert.AreEquivalent(rows, split.Train.Concat(split.Test).ToArray());
    }

    [TestMethod]
    public void Shuffle_SameSeedSameOrder_DifferentSeedDifferentOrder_InputUnchanged()
    {
        var rows = Enumerable.Range(0, 100).ToArray();

        var a = DataSplits.Shuffle(rows, 1);
        var b = DataSplits.Shuffle(rows, 1);
        var c = DataSplits.Shuffle(rows, 2);

        CollectionAssert.AreEqual(a, b);
        CollectionAssert.AreNotEqual(a, c);
        CollectionAssert.AreEquivalent(rows, a);
        CollectionAssert.AreEqual(Enumerable.Range(0, 100).ToArray(), rows);
    }

    [TestMethod]
    public void Take_KeepsTheFirstRowsOrAll()
    {
        CollectionAssert.AreEqual(new[] { 0, 1, 2 }, DataSplits.Take(Ten, 3).ToArray());
        Assert.AreSame(Ten, DataSplits.Take(Ten, 50));
    }
}
