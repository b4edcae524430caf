using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Trainers.Tests;

/// <summary><see cref="DenseNetworkOptions.CancellationToken"/> is honored while Fit reads the training and validation rows.</summary>
[TestClass]
public sealed class DataReadingCancellationTests
{
    private const int CheckInterval = 256; // TrainingSet.CancellationCheckInterval

    // ML.NET may compute a transformed view's rows ahead of the reader on worker threads, in batches of 128
    // (its consolidating cursor), so the mapping can have run for a few batches past the row the reader stopped at.
    // Before the fix, all 20,000 rows were computed.
    private const int Lookahead = 1024;

    private sealed class RawRow
    {
        [VectorType(4)]
        public float[] Raw { get; set; } = new float[4];

        public bool Label { get; set; }
    }

    private sealed class MappedRow
    {
        [VectorType(4)]
        public float[] Features { get; set; } = new float[4];
    }

    /// <summary>A lazily computed view: every row's Features are made on demand by a mapping that counts its calls and runs <c>onRow</c>.</summary>
    private sealed class SlowView
    {
        private int _rows;

        public SlowView(MLContext ml, int rows, Action<int> onRow)
        {
            var source = ml.Data.LoadFromEnumerable(SyntheticData.Binary(rows, 1).Select(r => new RawRow { Raw = r.Features, Label = r.Label }));
            var mapping = ml.Transforms.CustomMapping<RawRow, MappedRow>((input, output) =>
            {
                onRow(Interlocked.Increment(ref _rows));
                output.Features = input.Raw;
            }, contractName: null);
            View = mapping.Fit(source).Transform(source);
        }

        public IDataView View { get; }

        public int RowsRead => Volatile.Read(ref _rows);
    }

    [TestMethod]
    public void Fit_TokenCancelledWhileReadingTrainingRows_StopsWithinTheCheckInterval()
    {
        var ml = new MLContext(1);
        using var cts = new CancellationTokenSource();
        var slow = new SlowView(ml, 20_000, row => { if (row == 1000) cts.Cancel(); });
        var options = new DenseNetworkOptions { Epochs = 1, Seed = 1, CancellationToken = cts.Token };

        Assert.ThrowsExactly<OperationCanceledException>(() => ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(slow.View));

        Assert.IsLessThanOrEqualTo(1000 + CheckInterval + Lookahead, slow.RowsRead, $"rows computed after the token was cancelled at row 1000: {slow.RowsRead}");
    }

    [TestMethod]
    public void Fit_TokenCancelledWhileReadingValidationRows_StopsWithinTheCheckInterval()
    {
        var ml = new MLContext(1);
        using var cts = new CancellationTokenSource();
        var slow = new SlowView(ml, 20_000, row => { if (row == 1000) cts.Cancel(); });
        var options = new DenseNetworkOptions { Epochs = 1, Seed = 1, ValidationData = slow.View, CancellationToken = cts.Token };

        Assert.ThrowsExactly<OperationCanceledException>(() => ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(SyntheticData.BinaryView(ml, 200, 2)));

        Assert.IsLessThanOrEqualTo(1000 + CheckInterval + Lookahead, slow.RowsRead, $"validation rows computed after the token was cancelled at row 1000: {slow.RowsRead}");
    }

    [TestMethod]
    public void Fit_TokenCancelledAfterADelay_ThrowsBeforeASlowSourceIsRead()
    {
        var ml = new MLContext(1);
        using var cts = new CancellationTokenSource();
        const int rows = 5_000; // 1 ms each: at least 5 s to read them all
        var slow = new SlowView(ml, rows, _ => Thread.Sleep(1));
        var options = new DenseNetworkOptions { Epochs = 1, Seed = 1, CancellationToken = cts.Token };

        cts.CancelAfter(TimeSpan.FromMilliseconds(100));
        Assert.ThrowsExactly<OperationCanceledException>(() => ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(slow.View));

        Assert.IsLessThan(rows, slow.RowsRead, "Fit stopped reading before the end of the data");
    }

    [TestMethod]
    public void Fit_TokenAlreadyCancelled_ReadsNoRow()
    {
        var ml = new MLContext(1);
        var slow = new SlowView(ml, 100, _ => { });
        var options = new DenseNetworkOptions { Epochs = 1, Seed = 1, CancellationToken = new CancellationToken(canceled: true) };

        Assert.ThrowsExactly<OperationCanceledException>(() => ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(slow.View));

        Assert.AreEqual(0, slow.RowsRead);
    }
}
