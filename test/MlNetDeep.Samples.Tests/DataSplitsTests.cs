using MlNetDeep.Samples.Data;

namespace MlNetDeep.Samples.Tests;

[TestClass]
public sealed class DataSplitsTests
{
    private static readonly int[] Ten = Enumerable.Range(0, 10).ToArray();

    [TestMethod]
    public void SplitLast_TakesTheLastRowsInOrderLikeKeras()
    {
        var split = DataSplits.SplitLast(Ten, 0.2);

        CollectionAssert.AreEqual(new[] { 0, 1, 2, 3, 4, 5, 6, 7 }, split.Train.ToArray());
        CollectionAssert.AreEqual(new[] { 8, 9 }, split.Test.ToArray());
    }

    [TestMethod]
    [DataRow(60000, 0.2, 48000)]     // the lecture's Fashion-MNIST split: last 12,000 validate
    [DataRow(4534, 0.4, 2720)]       // Keras: int(4534 * 0.6) = 2720
    [DataRow(7, 0.5, 3)]
    public void SplitLast_TrainCountIsFloorOfNTimesOneMinusFraction(int n, double fraction, int expectedTrain)
    {
        var split = DataSplits.SplitLast(Enumerable.Range(0, n).ToArray(), fraction);

        Assert.AreEqual((expectedTrain, n - expectedTrain), (split.Train.Count, split.Test.Count));
    }

    [TestMethod]
    [DataRow(0.0)]
    [DataRow(1.0)]
    [DataRow(double.NaN)]
    [DataRow(-0.1)]
    public void SplitLast_FractionOutsideZeroOne_Throws(double fraction)
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => DataSplits.SplitLast(Ten, fraction));
        StringAssert.StartsWith(e.Message, $"Invalid value for validationFraction: expected a number between 0 and 1 (exclusive). Received: validationFraction={fraction}.");
    }

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
    public void KFold_FoldsPartitionTheRowsAndRemainderRowsAlwaysTrain()
    {
        var rows = Enumerable.Range(0, 11).ToArray();
        var heldOut = new List<int>();
        for (int fold = 0; fold < 3; fold++)
        {
            var split = DataSplits.KFold(rows, 3, fold);
            Assert.AreEqual((8, 3), (split.Train.Count, split.Test.Count));
            CollectionAssert.AreEquivalent(rows, split.Train.Concat(split.Test).ToArray());
            heldOut.AddRange(split.Test);
        }
        CollectionAssert.AreEqual(Enumerable.Range(0, 9).ToArray(), heldOut.ToArray());
    }

    [TestMethod]
    public void KFold_BadFold_Throws()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => DataSplits.KFold(Ten, 5, 5));
        StringAssert.StartsWith(e.Message, "Invalid value for fold: expected 0 to 4. Received: fold=5.");
    }

    [TestMethod]
    public void Take_KeepsTheFirstRowsOrAll()
    {
        CollectionAssert.AreEqual(new[] { 0, 1, 2 }, DataSplits.Take(Ten, 3).ToArray());
        Assert.AreSame(Ten, DataSplits.Take(Ten, 50));
    }
}
