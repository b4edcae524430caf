using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Training;

namespace MlNetDeep.Trainers.Tests;

/// <summary>
/// Reading the training rows holds them once: the managed bytes allocated while reading N rows of width D stay near
/// N·D·4 whether or not the view knows its row count (a doubling array allocated ~3× that, and the .NET GC kept its
/// large garbage resident), and the native chunks used for an unknown count are all freed, also when reading fails.
/// Allocation counts are deterministic: no timing, no RSS sampling.
/// </summary>
[TestClass]
[DoNotParallelize] // RowBuffer.NativeBytes is process-wide
public sealed class RowReadingMemoryTests
{
    private const int Rows = 20_000;
    private const int Width = 300;
    private const long RowBytes = (long)Rows * Width * sizeof(float); // 24 MB

    [TestMethod]
    public void Read_KnownRowCount_AllocatesTheRowsOnce()
    {
        var ml = new MLContext(1);
        var rows = MakeRows(Rows, seed: 1);
        var view = ml.Data.LoadFromEnumerable(rows, Schema());
        Assert.AreEqual((long?)Rows, view.GetRowCount(), "precondition: an in-memory list tells its row count");

        var (set, allocated) = ReadMeasured(view);

        AssertRowsEqual(rows, set);
        Assert.IsGreaterThanOrEqualTo(RowBytes, allocated, "the features array itself is allocated on the reading thread");
        Assert.IsLessThan((long)(1.1 * RowBytes), allocated, $"allocated {allocated:N0} bytes for {RowBytes:N0} bytes of rows");
    }

    [TestMethod]
    public void Read_UnknownRowCount_AllocatesTheRowsOnceAndFreesItsChunks()
    {
        var ml = new MLContext(1);
        var rows = MakeRows(Rows, seed: 2);
        var view = ml.Data.LoadFromEnumerable(Lazily(rows), Schema());
        Assert.IsNull(view.GetRowCount(), "precondition: a lazy sequence does not tell its row count");
        long nativeBefore = RowBuffer.NativeBytes;

        var (set, allocated) = ReadMeasured(view);

        AssertRowsEqual(rows, set);
        Assert.IsGreaterThanOrEqualTo(RowBytes, allocated);
        Assert.IsLessThan((long)(1.1 * RowBytes), allocated, $"allocated {allocated:N0} bytes for {RowBytes:N0} bytes of rows");
        Assert.AreEqual(nativeBefore, RowBuffer.NativeBytes, "every native chunk is freed once the rows are copied out");
    }

    [TestMethod]
    public void Read_UnknownRowCountWithABadRow_ThrowsAndFreesItsChunks()
    {
        var ml = new MLContext(1);
        var rows = MakeRows(2_000, seed: 3);
        rows[1_500].Features[7] = float.NaN;
        var view = ml.Data.LoadFromEnumerable(Lazily(rows), Schema());
        long nativeBefore = RowBuffer.NativeBytes;

        var error = Assert.ThrowsExactly<ArgumentException>(() =>
            TrainingSet.Read(view, NetworkTask.Regression, "Features", "Label", "Weight", null, CancellationToken.None));

        StringAssert.Contains(error.Message, "row 1500");
        Assert.AreEqual(nativeBefore, RowBuffer.NativeBytes, "a failed read frees its native chunks");
    }

    [TestMethod]
    public void Read_UnknownRowCountCancelled_FreesItsChunks()
    {
        var ml = new MLContext(1);
        var rows = MakeRows(2_000, seed: 4);
        using var cancellation = new CancellationTokenSource();
        var view = ml.Data.LoadFromEnumerable(Lazily(rows, afterRow: 1_000, cancellation.Cancel), Schema());
        long nativeBefore = RowBuffer.NativeBytes;

        Assert.ThrowsExactly<OperationCanceledException>(() =>
            TrainingSet.Read(view, NetworkTask.Regression, "Features", "Label", "Weight", null, cancellation.Token));

        Assert.AreEqual(nativeBefore, RowBuffer.NativeBytes, "a cancelled read frees its native chunks");
    }

    [TestMethod]
    public void RowBuffer_RowsAcrossChunksAndPastAWrongKnownCount_ComeBackInOrder()
    {
        long nativeBefore = RowBuffer.NativeBytes;
        // width 3, chunks of 7 floats rounded up to 3 whole rows (a row never straddles two); the view claimed 4 rows, gave 11
        using var buffer = new RowBuffer(3, knownRows: 4, chunkFloats: 7);
        for (int r = 0; r < 11; r++)
        {
            var row = buffer.AppendRow();
            for (int i = 0; i < 3; i++)
                row[i] = 10 * r + i;
        }
        Assert.AreEqual(nativeBefore + 3 * 9 * sizeof(float), RowBuffer.NativeBytes, "7 rows past the known 4: three chunks of 3 rows");

        var values = buffer.ToArray();

        CollectionAssert.AreEqual(Enumerable.Range(0, 11).SelectMany(r => new float[] { 10 * r, 10 * r + 1, 10 * r + 2 }).ToArray(), values);
        Assert.AreEqual(nativeBefore, RowBuffer.NativeBytes);
    }

    [TestMethod]
    public void RowBuffer_FewerRowsThanKnown_ReturnsAnExactArray()
    {
        using var buffer = new RowBuffer(2, knownRows: 5);
        buffer.AppendRow().Fill(1);
        buffer.AppendRow().Fill(2);

        CollectionAssert.AreEqual(new float[] { 1, 1, 2, 2 }, buffer.ToArray());
    }

    private static (TrainingSet Set, long Allocated) ReadMeasured(IDataView view)
    {
        // a first read JITs the reading code and ML.NET's cursor machinery; the second is measured
        TrainingSet.Read(view, NetworkTask.Regression, "Features", "Label", "Weight", null, CancellationToken.None);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var set = TrainingSet.Read(view, NetworkTask.Regression, "Features", "Label", "Weight", null, CancellationToken.None);
        return (set, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void AssertRowsEqual(WeightedRow[] rows, TrainingSet set)
    {
        Assert.AreEqual(rows.Length, set.Rows);
        Assert.AreEqual(rows.Length * Width, set.Features.Length, "an exact-size features array");
        Assert.AreEqual(rows.Length, set.Labels.Length);
        for (int r = 0; r < rows.Length; r++)
        {
            CollectionAssert.AreEqual(rows[r].Features, set.Features.AsSpan(r * Width, Width).ToArray(), $"row {r}");
            Assert.AreEqual(rows[r].Label, set.Labels[r]);
            Assert.AreEqual(rows[r].Weight, set.Weights![r]);
        }
    }

    private static WeightedRow[] MakeRows(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i => new WeightedRow
        {
            Features = Enumerable.Range(0, Width).Select(_ => (float)random.NextDouble()).ToArray(),
            Label = (float)random.NextDouble(),
            Weight = 1 + i % 3,
        }).ToArray();
    }

    /// <summary>The rows as a sequence that does not know its length (ML.NET cannot count it without reading it).</summary>
    private static IEnumerable<WeightedRow> Lazily(WeightedRow[] rows, int afterRow = -1, Action? then = null)
    {
        for (int i = 0; i < rows.Length; i++)
        {
            if (i == afterRow)
                then?.Invoke();
            yield return rows[i];
        }
    }

    private static SchemaDefinition Schema()
    {
        var schema = SchemaDefinition.Create(typeof(WeightedRow));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Width);
        return schema;
    }

    public sealed class WeightedRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();

        public float Label { get; set; }

        public float Weight { get; set; }
    }
}
