using MlNetDeep.Training;
using static TorchSharp.torch;

namespace MlNetDeep.Trainers.Tests.Streaming;

/// <summary>The shuffle buffer of <see cref="StreamedRows"/>: every row once per pass, tf.data's displacement bound, and memory that does not grow with the rows.</summary>
[TestClass]
public sealed class ShuffleBufferTests
{
    /// <summary>The row numbers of one training pass, in the order the batches give them (feature 0 holds the row number).</summary>
    private static (List<long> Order, StreamedRows Rows) Pass(long rows, int buffer, int batch, bool shuffle, ulong seed)
    {
        MlNetDeep.Native.LibTorchRuntime.EnsureLoaded();
        var view = new GeneratedView(rows, 3, NetworkTask.Binary) { EditFeature = (_, row, _) => row };
        var set = StreamedRows.Scan(new StreamedColumns(view, NetworkTask.Binary, "Features", "Label", null, 3, null), buffer, CancellationToken.None);
        var order = new List<long>();
        using var generator = new Generator(seed, CPU);
        using var reader = set.Batches(batch, shuffle, generator);
        while (true)
        {
            using var scope = NewDisposeScope();
            if (reader.Next() is not { } b)
                break;
            Assert.IsLessThanOrEqualTo(batch, b.Count);
            order.AddRange(b.Features.Dense!.select(1, 0).data<float>().ToArray().Select(v => (long)v));
        }
        return (order, set);
    }

    [TestMethod]
    [DataRow(2_000L)]
    [DataRow(20_000L)]
    public void Shuffle_EveryRowOnce_NoRowEarlierThanBufferAllows_BufferBoundedWhateverTheRows(long rows)
    {
        const int Buffer = 100, BatchSize = 32;
        var (order, set) = Pass(rows, Buffer, BatchSize, shuffle: true, seed: 1);

        CollectionAssert.AreEquivalent(Enumerable.Range(0, (int)rows).Select(r => (long)r).ToArray(), order.ToArray(), "a permutation of the rows");
        for (int k = 0; k < order.Count; k++)
            Assert.IsLessThanOrEqualTo(k + Buffer - 1, order[k], "a row comes out at most ShuffleBufferSize − 1 places early");
        Assert.IsGreaterThan(rows / 2, order.Where((row, k) => row != k).Count(), "most rows moved");
        Assert.IsGreaterThan(2L * Buffer, order.Select((row, k) => Math.Abs(row - k)).Max(), "and some moved further than the buffer, later");
        Assert.AreEqual(Buffer, set.PeakBufferedRows, "the buffer filled to its size, never beyond");
        Assert.AreEqual(Buffer + BatchSize, set.PeakAllocatedRows, "the same arrays for 2,000 and 20,000 rows");
    }

    [TestMethod]
    public void Shuffle_SameSeedSameOrder_OtherSeedOtherOrder_OffIsRowOrder()
    {
        var a = Pass(500, 64, 10, shuffle: true, seed: 5).Order;
        var b = Pass(500, 64, 10, shuffle: true, seed: 5).Order;
        var c = Pass(500, 64, 10, shuffle: true, seed: 6).Order;
        var off = Pass(500, 64, 10, shuffle: false, seed: 5);

        CollectionAssert.AreEqual(a, b);
        CollectionAssert.AreNotEqual(a, c);
        CollectionAssert.AreEqual(Enumerable.Range(0, 500).Select(r => (long)r).ToList(), off.Order);
        Assert.AreEqual(0, off.Rows.PeakBufferedRows, "no buffer without shuffling");
    }

    [TestMethod]
    public void Shuffle_BufferLargerThanTheRows_HoldsOnlyTheRows()
    {
        var (order, set) = Pass(300, 10_000, 32, shuffle: true, seed: 2);

        Assert.HasCount(300, order.Distinct().ToList());
        Assert.AreEqual(300, set.PeakBufferedRows);
        Assert.AreEqual(300 + 32, set.PeakAllocatedRows);
    }
}
