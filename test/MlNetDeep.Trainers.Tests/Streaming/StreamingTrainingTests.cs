using Microsoft.ML;
using MlNetDeep.Training;

namespace MlNetDeep.Trainers.Tests.Streaming;

/// <summary>
/// <see cref="DenseNetworkOptions.Streaming"/>: a streamed Fit trains bit for bit as the same Fit in memory when the
/// order is fixed, is reproducible with a seed when shuffled, and reports failing or changing views clearly.
/// </summary>
[TestClass]
public sealed class StreamingTrainingTests
{
    private static DenseNetworkTransformer Fit(NetworkTask task, DenseNetworkOptions options, IDataView data, DenseNetworkModel? initial = null)
    {
        var ml = new MLContext(1);
        return (task, initial) switch
        {
            (NetworkTask.Binary, null) => ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(data),
            (NetworkTask.Binary, _) => ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(data, initial),
            (NetworkTask.Multiclass, null) => ml.MulticlassClassification.Trainers.DenseNetwork(options).Fit(data),
            (NetworkTask.Multiclass, _) => ml.MulticlassClassification.Trainers.DenseNetwork(options).Fit(data, initial),
            (_, null) => ml.Regression.Trainers.DenseNetwork(options).Fit(data),
            _ => ml.Regression.Trainers.DenseNetwork(options).Fit(data, initial),
        };
    }

    private static float[] Weights(DenseNetworkTransformer model) =>
        model.Model.Layers.SelectMany(l => l.Weights.ToArray().Concat(l.Bias.ToArray())).ToArray();

    /// <summary>Every option that touches the rows, per task: weights, class weights, the validation split or data, early stopping with restored weights, a callback.</summary>
    private static DenseNetworkOptions Options(NetworkTask task, StreamingMode mode, bool shuffle = false, int seed = 7)
    {
        var o = new DenseNetworkOptions
        {
            HiddenLayerSizes = new[] { 8 },
            BatchSize = 16,
            Epochs = 6,
            Seed = seed,
            Shuffle = shuffle,
            Streaming = mode,
            ShuffleBufferSize = 50,
            DropoutRate = 0.1,
            LearningRate = 0.01,
            ExampleWeightColumnName = "Weight",
            EarlyStopping = new EarlyStoppingOptions { Monitor = "val_loss", Patience = 2, RestoreBestWeights = true },
        };
        o.Callbacks.Add(new ReduceLearningRateOnPlateau { Patience = 1, Factor = 0.5 });
        switch (task)
        {
            case NetworkTask.Binary:
                o.ValidationFraction = 0.25;
                o.ClassWeights = ClassWeights.Balanced;
                break;
            case NetworkTask.Multiclass:
                o.ValidationData = new GeneratedView(130, 5, task);
                o.ClassWeights = ClassWeights.Balanced;
                o.Normalization = NormalizationKind.BatchNormalization;
                break;
            default:
                o.ValidationFraction = 0.2;
                o.RegressionLoss = RegressionLoss.Huber;
                o.L2Regularization = 1e-3;
                break;
        }
        return o;
    }

    private static void AssertSameRun(DenseNetworkTransformer expected, DenseNetworkTransformer actual)
    {
        CollectionAssert.AreEqual(Weights(expected), Weights(actual), "the same weights, bit for bit");
        var (e, a) = (expected.History, actual.History);
        Assert.AreEqual(e.Count, a.Count);
        for (int i = 0; i < e.Count; i++)
            Assert.AreEqual(e[i] with { Duration = default }, a[i] with { Duration = default }, $"epoch {e[i].Epoch}");
        Assert.AreEqual(e.BaselineLoss, a.BaselineLoss);
        Assert.AreEqual(e.BestEpoch, a.BestEpoch);
        Assert.AreEqual(e.Stop, a.Stop);
        Assert.AreEqual(e.StopReason, a.StopReason);
        Assert.AreEqual(e.RestoredBestWeights, a.RestoredBestWeights);
    }

    [TestMethod]
    [DataRow("Binary")]
    [DataRow("Multiclass")]
    [DataRow("Regression")]
    public void Fit_ShuffleOff_StreamedTrainsBitForBitAsInMemory(string taskName)
    {
        var task = Enum.Parse<NetworkTask>(taskName);
        var memoryView = new GeneratedView(601, 5, task);
        var streamedView = new GeneratedView(601, 5, task);

        var inMemory = Fit(task, Options(task, StreamingMode.Off), memoryView);
        var streamed = Fit(task, Options(task, StreamingMode.On), streamedView);

        AssertSameRun(inMemory, streamed);
        Assert.IsGreaterThan(1, inMemory.History.Count, "more than one epoch compared");
        Assert.AreEqual(1, memoryView.Cursors, "in memory: the rows are read once");
        Assert.IsGreaterThanOrEqualTo(1 + streamed.History.Count, streamedView.Cursors, "streamed: a first pass, then at least one pass per epoch");
    }

    [TestMethod]
    public void Fit_WarmStartAndFindLearningRate_StreamedEqualInMemory()
    {
        const NetworkTask task = NetworkTask.Binary;
        var data = new GeneratedView(300, 5, task);
        var first = Fit(task, Options(task, StreamingMode.Off), data);

        var inMemory = Fit(task, Options(task, StreamingMode.Off), data, first.Model);
        var streamed = Fit(task, Options(task, StreamingMode.On), data, first.Model);
        AssertSameRun(inMemory, streamed);

        var ml = new MLContext(1);
        var finder = new LearningRateFinderOptions { Steps = 40 };
        var memoryRates = ml.BinaryClassification.Trainers.DenseNetwork(Options(task, StreamingMode.Off)).FindLearningRate(data, finder);
        var streamedRates = ml.BinaryClassification.Trainers.DenseNetwork(Options(task, StreamingMode.On)).FindLearningRate(data, finder);
        CollectionAssert.AreEqual(memoryRates.Losses.ToArray(), streamedRates.Losses.ToArray());
        Assert.AreEqual(memoryRates.SuggestedLearningRate, streamedRates.SuggestedLearningRate);
    }

    [TestMethod]
    public void Fit_ShuffledStream_SameSeedSameBits_OtherSeedOrNoShuffleDiffers()
    {
        const NetworkTask task = NetworkTask.Binary;
        var data = new GeneratedView(400, 5, task);

        var a = Fit(task, Options(task, StreamingMode.On, shuffle: true, seed: 3), data);
        var b = Fit(task, Options(task, StreamingMode.On, shuffle: true, seed: 3), data);
        var otherSeed = Fit(task, Options(task, StreamingMode.On, shuffle: true, seed: 4), data);
        var ordered = Fit(task, Options(task, StreamingMode.On, shuffle: false, seed: 3), data);

        AssertSameRun(a, b);
        CollectionAssert.AreNotEqual(Weights(a), Weights(otherSeed));
        CollectionAssert.AreNotEqual(Weights(a), Weights(ordered), "the shuffle buffer changed the order");
    }

    [TestMethod]
    public void Fit_Auto_StreamsOnlyWhenTheRowsExceedTheBudget_KnownOrUnknownCount()
    {
        const NetworkTask task = NetworkTask.Regression;
        var reference = Fit(task, Options(task, StreamingMode.Off), new GeneratedView(200, 5, task));
        foreach (bool known in new[] { true, false })
        {
            var small = new GeneratedView(200, 5, task, knownCount: known);
            var fits = Options(task, StreamingMode.Auto);
            fits.MemoryBudget = StreamingBytes(200, 5); // exactly the rows' size: fits
            AssertSameRun(reference, Fit(task, fits, small));
            Assert.AreEqual(1, small.Cursors, $"known count {known}: fits, read once");

            var large = new GeneratedView(200, 5, task, knownCount: known);
            var over = Options(task, StreamingMode.Auto);
            over.MemoryBudget = StreamingBytes(199, 5);
            AssertSameRun(reference, Fit(task, over, large));
            Assert.IsGreaterThan(reference.History.Count, large.Cursors, $"known count {known}: one row over the budget streams");
        }
    }

    private static long StreamingBytes(long rows, int features) => rows * (features + 2) * sizeof(float);

    [TestMethod]
    public void Fit_CursorThrowsMidEpoch_ClearErrorNamingTheRowWithTheViewsException()
    {
        const NetworkTask task = NetworkTask.Binary;
        // cursors: 1 the first (checking) pass, 2 the class counts, 3 and 4 the baseline losses' label passes, 5 epoch 1's training pass
        var data = new GeneratedView(300, 5, task) { OnRow = (cursor, row) => { if (cursor == 5 && row == 123) throw new IOException("the disk went away"); } };

        var error = Assert.ThrowsExactly<InvalidOperationException>(() => Fit(task, Options(task, StreamingMode.On), data));

        StringAssert.StartsWith(error.Message, "Reading the training data failed at row 123: IOException: the disk went away");
        Assert.IsInstanceOfType<IOException>(error.InnerException);
    }

    [TestMethod]
    public void Fit_ViewChangesBetweenPasses_ClearError()
    {
        const NetworkTask task = NetworkTask.Binary;
        // after the first pass, row 10 reads NaN: the first pass that reads features again is epoch 1's
        var data = new GeneratedView(300, 5, task) { EditFeature = (cursor, row, value) => cursor > 1 && row == 10 ? float.NaN : value };

        var error = Assert.ThrowsExactly<InvalidOperationException>(() => Fit(task, Options(task, StreamingMode.On), data));

        StringAssert.StartsWith(error.Message, "The training data view gave row 10 with a non-finite value in slot 0, which the first pass did not find: streamed training reads the view again on every epoch");
    }

    [TestMethod]
    [DataRow(StreamingMode.Off)]
    [DataRow(StreamingMode.On)]
    public void Fit_NaNFeatureAndLabel_TheSameErrorInMemoryAndStreamed(StreamingMode mode)
    {
        const NetworkTask task = NetworkTask.Regression;
        var data = new GeneratedView(300, 5, task) { EditFeature = (_, row, value) => row is 7 or 9 ? float.PositiveInfinity : value };

        var error = Assert.ThrowsExactly<ArgumentException>(() => Fit(task, Options(task, mode), data));

        Assert.AreEqual("Column 'Features' has 2 training row(s) with NaN or infinite values (first: row 7, slot 0, value Infinity); remove or replace them (e.g. mlContext.Transforms.ReplaceMissingValues) before training.", error.Message);
        Assert.AreEqual(1, data.Cursors, "nothing trained: the first pass found them");
    }

    [TestMethod]
    public void Fit_StreamedAndCancelledAfterEpoch2_KeepsTheCompletedEpochs()
    {
        const NetworkTask task = NetworkTask.Binary;
        using var cts = new CancellationTokenSource();
        var options = Options(task, StreamingMode.On);
        options.EarlyStopping = null;
        options.CancellationToken = cts.Token;
        options.Progress = new SynchronousProgress(m => { if (m.Epoch == 2) cts.Cancel(); });

        var error = Assert.ThrowsExactly<TrainingCancelledException>(() => Fit(task, options, new GeneratedView(300, 5, task)));

        Assert.AreEqual(2, error.History.Count);
        Assert.AreEqual(StopKind.Cancelled, error.History.Stop);
        Assert.IsNotNull(error.Model);
    }

    [TestMethod]
    public void Fit_StreamedAndCancelledDuringTheFirstPass_StopsWithinTheCheckInterval()
    {
        const NetworkTask task = NetworkTask.Regression;
        using var cts = new CancellationTokenSource();
        long lastRow = -1;
        var data = new GeneratedView(5_000, 5, task) { OnRow = (cursor, row) => { lastRow = row; if (row == 1000) cts.Cancel(); } };
        var options = Options(task, StreamingMode.On);
        options.CancellationToken = cts.Token;

        Assert.ThrowsExactly<OperationCanceledException>(() => Fit(task, options, data));

        Assert.AreEqual(1, data.Cursors, "nothing read after the first pass stopped");
        Assert.IsLessThan(1000 + 256, lastRow, "stopped within 256 rows (TrainingSet.CancellationCheckInterval)");
    }

    private sealed class SynchronousProgress(Action<EpochMetrics> report) : IProgress<EpochMetrics>
    {
        public void Report(EpochMetrics value) => report(value);
    }

    [TestMethod]
    public void Validate_ShuffleBufferSizeAndStreaming_Checked()
    {
        var o = new DenseNetworkOptions { ShuffleBufferSize = 0, Streaming = (StreamingMode)9 };

        var error = Assert.ThrowsExactly<ArgumentException>(() => new MLContext().BinaryClassification.Trainers.DenseNetwork(o));

        StringAssert.Contains(error.Message, "Invalid value for Streaming: expected one of Auto, On, Off. Received: Streaming=9.");
        StringAssert.Contains(error.Message, "Invalid value for ShuffleBufferSize: expected an integer > 0. Received: ShuffleBufferSize=0.");
    }
}
