using Microsoft.ML;
using MlNetDeep.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetDeep.Trainers.Tests;

[TestClass]
public sealed class TrainingBehaviorTests
{
    private sealed class Recorder : IProgress<EpochMetrics>
    {
        public List<EpochMetrics> Reports { get; } = new();

        public Action<EpochMetrics>? OnReport { get; set; }

        public void Report(EpochMetrics value)
        {
            Reports.Add(value);
            OnReport?.Invoke(value);
        }
    }

    [TestMethod]
    public void Dropout_IsActiveInTrainingOnly_AndKeepsTheMean()
    {
        using var generator = new Generator(1, CPU);
        using var module = new DenseNetworkModule(1000, new[] { 1000 }, 1, Activation.Relu, 0.5, generator);
        using (no_grad())
        {
            module.Layers[0].weight!.copy_(eye(1000));
            module.Layers[1].weight!.fill_(1f / 1000);
        }
        using var ones = torch.ones(1, 1000);

        module.eval();
        using var inference = module.forward(ones);
        module.train();
        using var hidden = nn.functional.relu(module.Layers[0].forward(ones));
        using var first = module.forward(ones);
        using var second = module.forward(ones);

        Assert.AreEqual(1f, inference.item<float>(), 1e-5f, "inference ignores dropout");
        Assert.AreNotEqual(first.item<float>(), second.item<float>(), "training draws a new mask per call");
        Assert.AreEqual(1f, first.item<float>(), 0.1f, "inverted dropout keeps the mean (1000 units, sd ≈ 0.03)");
        Assert.AreEqual(1f, hidden.max().item<float>(), "before dropout every unit is 1; the kept ones are scaled to 1/(1-0.5) = 2 inside forward");
    }

    [TestMethod]
    public void Fit_WithDropout_ScoringIsDeterministic()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.BinaryView(ml, 300, seed: 1);
        var model = ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions { DropoutRate = 0.5, Epochs = 3, Seed = 1 }).Fit(data);

        var a = TestUtilities.Columns.Scalars<float>(model.Transform(data), "Score");
        var b = TestUtilities.Columns.Scalars<float>(model.Transform(data), "Score");

        CollectionAssert.AreEqual(a, b);
    }

    [TestMethod]
    public void L2Penalty_WithZeroLearningRate_AddsLambdaTimesSumOfSquaredKernelsToTheLoss()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.BinaryView(ml, 256, seed: 1);
        DenseNetworkOptions Options(double l2) => new() { HiddenLayerSizes = new[] { 16, 8 }, LearningRate = 0, Epochs = 1, Seed = 3, L2Regularization = l2, Shuffle = false };

        var plain = ml.BinaryClassification.Trainers.DenseNetwork(Options(0)).Fit(data);
        var penalized = ml.BinaryClassification.Trainers.DenseNetwork(Options(0.01)).Fit(data);

        double sumOfSquares = penalized.Model.Layers.Sum(l => l.Weights.ToArray().Sum(w => (double)w * w));
        Assert.AreEqual(0.01 * sumOfSquares, penalized.History[0].Loss - plain.History[0].Loss, 1e-5);
    }

    [TestMethod]
    public void L1Penalty_WithZeroLearningRate_AddsLambdaTimesSumOfAbsoluteKernels()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.RegressionView(ml, 256, seed: 1);
        DenseNetworkOptions Options(double l1) => new() { HiddenLayerSizes = new[] { 16 }, LearningRate = 0, Epochs = 1, Seed = 3, L1Regularization = l1, ValidationFraction = 0.25 };

        var plain = ml.Regression.Trainers.DenseNetwork(Options(0)).Fit(data);
        var penalized = ml.Regression.Trainers.DenseNetwork(Options(0.001)).Fit(data);

        double sumOfAbs = penalized.Model.Layers.Sum(l => l.Weights.ToArray().Sum(w => Math.Abs((double)w)));
        Assert.AreEqual(0.001 * sumOfAbs, penalized.History[0].Loss - plain.History[0].Loss, 1e-5);
        Assert.AreEqual(0.001 * sumOfAbs, penalized.History[0].ValidationLoss!.Value - plain.History[0].ValidationLoss!.Value, 1e-5, "val_loss includes the penalty, as in Keras");
    }

    [TestMethod]
    public void L2Penalty_ShrinksKernelsButNotBiases()
    {
        // y = 5 + 0.1·x0: a strong L2 drives the kernel to ~0; the bias, unpenalized, still carries the mean 5
        var ml = new MLContext(1);
        var r = new Random(1);
        var rows = Enumerable.Range(0, 512).Select(_ => { var x = new[] { (float)r.NextDouble() * 2 - 1, 0f, 0f, 0f }; return new RegressionRow { Features = x, Label = 5 + 0.1f * x[0] }; });
        var data = ml.Data.LoadFromEnumerable(rows);
        DenseNetworkOptions Options(double l2) => new() { HiddenLayerSizes = Array.Empty<int>(), Optimizer = OptimizerKind.Adam, LearningRate = 0.05, Epochs = 30, Seed = 1, L2Regularization = l2 };

        var plain = ml.Regression.Trainers.DenseNetwork(Options(0)).Fit(data).Model.Layers[0];
        var penalized = ml.Regression.Trainers.DenseNetwork(Options(1.0)).Fit(data).Model.Layers[0];

        Assert.AreEqual(0.1, plain.Weights.Span[0], 0.02, "unpenalized: the true slope");
        // minimizing E[(w − 0.1)²x²] + 1·w² with E[x²] = 1/3 gives w = (0.1/3) / (1/3 + 1) = 0.025
        Assert.AreEqual(0.025, penalized.Weights.Span[0], 0.005, "penalized kernel shrinks to the closed-form optimum");
        Assert.AreEqual(5, plain.Bias.Span[0], 0.05);
        Assert.AreEqual(5, penalized.Bias.Span[0], 0.05, "the bias is not penalized");
    }

    [TestMethod]
    public void EarlyStopping_ModelThatCannotImprove_StopsAtEpochOnePlusPatience()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.BinaryView(ml, 200, seed: 1);
        var options = new DenseNetworkOptions
        {
            LearningRate = 0, // weights never change, so val_loss is the same every epoch
            Epochs = 20,
            ValidationFraction = 0.25,
            Seed = 1,
            EarlyStopping = new EarlyStoppingOptions { Patience = 3 },
        };

        var model = ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(data);

        Assert.HasCount(4, model.History);
        Assert.IsTrue(model.StoppedEarly);
        Assert.AreEqual(1, model.BestEpoch);
        StringAssert.StartsWith(model.History.StopReason, "stopped early after epoch 4: val_loss did not improve for 3 epoch(s)");
    }

    [TestMethod]
    public void EarlyStoppingTracker_ScriptedLosses_FollowsKerasRule()
    {
        var tracker = new EarlyStoppingTracker("val_loss", new EarlyStoppingOptions { Patience = 2, MinDelta = 0.01 });
        var losses = new[] { 1.0, 0.8, 0.795, 0.9, 0.7, 0.71, 0.705 };
        var stops = new List<bool>();
        for (int i = 0; i < losses.Length; i++)
            stops.Add(tracker.Update(i + 1, losses[i]).Stop);

        // 0.795 is not better than 0.8 by more than 0.01: wait 1; 0.9: wait 2 → stop at epoch 4
        CollectionAssert.AreEqual(new[] { false, false, false, true, false, false, true }, stops);
        Assert.AreEqual(5, tracker.BestEpoch);

        var accuracy = new EarlyStoppingTracker("val_accuracy", new EarlyStoppingOptions { Patience = 0 });
        Assert.IsFalse(accuracy.Update(1, 0.5).Stop);
        Assert.IsFalse(accuracy.Update(2, 0.6).Stop);
        Assert.IsTrue(accuracy.Update(3, 0.6).Stop, "patience 0 stops at the first epoch without improvement");
    }

    [TestMethod]
    public void EarlyStopping_RestoreBestWeights_EqualsTrainingExactlyBestEpochs()
    {
        var ml = new MLContext(1);
        var rows = SyntheticData.Binary(300, seed: 2);
        foreach (var row in rows.Skip(200))
            row.Label = !row.Label; // the validation rows contradict the training rows: val_loss gets worse soon
        var data = ml.Data.LoadFromEnumerable(rows);
        DenseNetworkOptions Options(int epochs, EarlyStoppingOptions? es) => new()
        {
            HiddenLayerSizes = new[] { 16 }, Epochs = epochs, ValidationFraction = 1.0 / 3, Seed = 9, LearningRate = 3e-3, EarlyStopping = es,
        };

        var stopped = ml.BinaryClassification.Trainers.DenseNetwork(Options(30, new EarlyStoppingOptions { Patience = 2, RestoreBestWeights = true })).Fit(data);
        int best = stopped.BestEpoch!.Value;
        var exact = ml.BinaryClassification.Trainers.DenseNetwork(Options(best, null)).Fit(data);

        Assert.IsTrue(stopped.History.RestoredBestWeights);
        Assert.AreEqual(best + 2, stopped.History.Count, "stopped patience epochs after the best one");
        for (int i = 0; i < exact.Model.Layers.Count; i++)
            CollectionAssert.AreEqual(exact.Model.Layers[i].Weights.ToArray(), stopped.Model.Layers[i].Weights.ToArray(), $"layer {i} kernel");
    }

    [TestMethod]
    public void Fit_SameSeedTwice_IdenticalHistoryAndScores_OtherSeedDiffers()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.BinaryView(ml, 300, seed: 1);
        DenseNetworkOptions Options(int seed) => new() { HiddenLayerSizes = new[] { 16 }, DropoutRate = 0.3, Epochs = 4, ValidationFraction = 0.2, Seed = seed };

        var a = ml.BinaryClassification.Trainers.DenseNetwork(Options(42)).Fit(data);
        var b = ml.BinaryClassification.Trainers.DenseNetwork(Options(42)).Fit(data);
        var c = ml.BinaryClassification.Trainers.DenseNetwork(Options(43)).Fit(data);

        CollectionAssert.AreEqual(a.History.Losses.ToArray(), b.History.Losses.ToArray());
        CollectionAssert.AreEqual(a.History.ValidationLosses.ToArray(), b.History.ValidationLosses.ToArray());
        var scoresA = TestUtilities.Columns.Scalars<float>(a.Transform(data), "Score");
        var scoresB = TestUtilities.Columns.Scalars<float>(b.Transform(data), "Score");
        var scoresC = TestUtilities.Columns.Scalars<float>(c.Transform(data), "Score");
        Assert.IsTrue(TestUtilities.Columns.BitEqual(scoresA, scoresB));
        Assert.IsFalse(TestUtilities.Columns.BitEqual(scoresA, scoresC));
    }

    [TestMethod]
    public void ValidationFraction_TakesTheLastRowsBeforeShuffling()
    {
        // the last quarter has inverted labels: a model fitted on the first three quarters must score badly there
        var ml = new MLContext(1);
        var rows = SyntheticData.Binary(800, seed: 3);
        foreach (var row in rows.Skip(600))
            row.Label = !row.Label;
        var data = ml.Data.LoadFromEnumerable(rows);

        var model = ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions { HiddenLayerSizes = new[] { 32 }, Epochs = 20, ValidationFraction = 0.25, Seed = 1 }).Fit(data);

        var last = model.History[^1];
        Assert.IsGreaterThan(0.85, last.Accuracy!.Value);
        Assert.IsLessThan(0.3, last.ValidationAccuracy!.Value, "a random 25% would score about as well as training");
    }

    [TestMethod]
    public void ValidationData_IsScoredEveryEpoch()
    {
        var ml = new MLContext(1);
        var options = new DenseNetworkOptions { Epochs = 3, Seed = 1, ValidationData = SyntheticData.BinaryView(ml, 100, seed: 9) };

        var model = ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(SyntheticData.BinaryView(ml, 200, seed: 1));

        Assert.IsTrue(model.History.All(e => e.ValidationLoss is > 0 && e.ValidationAccuracy is >= 0 and <= 1));
    }

    [TestMethod]
    public void Progress_ReportsEveryEpochInOrder()
    {
        var ml = new MLContext(1);
        var recorder = new Recorder();

        var model = ml.Regression.Trainers.DenseNetwork(new DenseNetworkOptions { Epochs = 5, Seed = 1, Progress = recorder }).Fit(SyntheticData.RegressionView(ml, 100, seed: 1));

        CollectionAssert.AreEqual(new[] { 1, 2, 3, 4, 5 }, recorder.Reports.Select(r => r.Epoch).ToArray());
        CollectionAssert.AreEqual(model.History.ToArray(), recorder.Reports.ToArray());
        Assert.IsTrue(recorder.Reports.All(r => r.Duration > TimeSpan.Zero));
    }

    [TestMethod]
    public void Cancellation_DuringTraining_ThrowsBeforeTheNextBatch()
    {
        var ml = new MLContext(1);
        using var cts = new CancellationTokenSource();
        var recorder = new Recorder { OnReport = _ => cts.Cancel() };
        var options = new DenseNetworkOptions { Epochs = 50, Seed = 1, Progress = recorder, CancellationToken = cts.Token };

        var error = Assert.ThrowsExactly<TrainingCancelledException>(() => ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(SyntheticData.BinaryView(ml, 200, seed: 1)));
        Assert.IsInstanceOfType<OperationCanceledException>(error);
        Assert.AreEqual(cts.Token, error.CancellationToken);
        Assert.HasCount(1, recorder.Reports);
    }

    [TestMethod]
    public void Cancellation_AfterEpoch3_HistorySaysCancelled_ModelHoldsEpoch3sWeights()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.BinaryView(ml, 300, seed: 1);
        using var cts = new CancellationTokenSource();
        DenseNetworkOptions Options(int epochs) => new()
        {
            HiddenLayerSizes = new[] { 8 }, Epochs = epochs, Seed = 1, NumberOfThreads = 1, ValidationFraction = 0.2,
            EarlyStopping = new EarlyStoppingOptions { Patience = 10, RestoreBestWeights = true },
            CancellationToken = cts.Token, Progress = new Recorder { OnReport = m => { if (m.Epoch == 3) cts.Cancel(); } },
        };
        var error = Assert.ThrowsExactly<TrainingCancelledException>(() => ml.BinaryClassification.Trainers.DenseNetwork(Options(10)).Fit(data));
        var history = error.History;

        Assert.HasCount(3, history);
        Assert.AreEqual(StopKind.Cancelled, history.Stop);
        Assert.IsTrue(history.Cancelled);
        Assert.AreEqual("cancelled after epoch 3 (during epoch 4)", history.StopReason);
        Assert.AreEqual(1, history.Seed);
        Assert.IsFalse(history.RestoredBestWeights, "a cancelled run keeps its last completed epoch");
        StringAssert.StartsWith(error.Message, "Training was cancelled after epoch 3 (during epoch 4); the exception's Model holds the network after epoch 3");
        Assert.AreSame(history, error.Model!.History);

        // the weights are those of a run that trained exactly 3 epochs: epoch 4's first steps were dropped
        var threeEpochs = ml.BinaryClassification.Trainers.DenseNetwork(Without(Options(3))).Fit(data);
        for (int i = 0; i < threeEpochs.Model.Layers.Count; i++)
            CollectionAssert.AreEqual(threeEpochs.Model.Layers[i].Weights.ToArray(), error.Model.Layers[i].Weights.ToArray(), $"layer {i}");
    }

    [TestMethod]
    public void Cancellation_BeforeTheFirstBatch_GivesAnEmptyHistoryAndNoModel()
    {
        var ml = new MLContext(1);
        using var cts = new CancellationTokenSource();
        // the schedule runs before each epoch, after the rows were read: cancelling there stops before batch 1
        var options = new DenseNetworkOptions { Epochs = 5, Seed = 1, CancellationToken = cts.Token, Callbacks = { new LearningRateScheduler((e, r) => { cts.Cancel(); return r; }) } };

        var error = Assert.ThrowsExactly<TrainingCancelledException>(() => ml.Regression.Trainers.DenseNetwork(options).Fit(SyntheticData.RegressionView(ml, 100, seed: 1)));

        Assert.IsEmpty(error.History);
        Assert.AreEqual(StopKind.Cancelled, error.History.Stop);
        Assert.AreEqual("cancelled during epoch 1, before any epoch completed", error.History.StopReason);
        Assert.IsNull(error.Model);
        Assert.AreEqual("Training was cancelled during epoch 1, before any epoch completed; no model was trained.", error.Message);
    }

    /// <summary>The same options without the token and the progress that cancels.</summary>
    private static DenseNetworkOptions Without(DenseNetworkOptions o)
    {
        o.CancellationToken = CancellationToken.None;
        o.Progress = null;
        return o;
    }

    [TestMethod]
    public void NumberOfThreads_AppliesDuringFitAndIsRestoredAfter()
    {
        var ml = new MLContext(1);
        int before = torch.get_num_threads();
        int during = -1;
        var recorder = new Recorder { OnReport = _ => during = torch.get_num_threads() };

        ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions { Epochs = 1, Seed = 1, NumberOfThreads = 1, Progress = recorder }).Fit(SyntheticData.BinaryView(ml, 100, 1));

        Assert.AreEqual(1, during);
        Assert.AreEqual(before, torch.get_num_threads());
    }

    [TestMethod]
    public void NumberOfThreads_NullTrainsOnOneThreadWhateverTheProcessSetting()
    {
        var ml = new MLContext(1);
        int before = torch.get_num_threads();
        try
        {
            torch.set_num_threads(2); // e.g. libtorch's own default of one per core on this machine
            int during = -1;
            var recorder = new Recorder { OnReport = _ => during = torch.get_num_threads() };
            var data = SyntheticData.BinaryView(ml, 100, 1);

            var fitted = ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions { Epochs = 1, Seed = 1, Progress = recorder }).Fit(data);
            Assert.AreEqual(1, during, "the default is one thread, not one per core");
            Assert.AreEqual(2, torch.get_num_threads(), "the process setting is restored");

            // null and an explicit 1 are the same run, bit for bit
            var explicitOne = ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions { Epochs = 1, Seed = 1, NumberOfThreads = 1 }).Fit(data);
            Assert.AreEqual(explicitOne.History[0].Loss, fitted.History[0].Loss);
        }
        finally
        {
            torch.set_num_threads(before);
        }
    }

    [TestMethod]
    public void Fit_ReleasesEveryTensorItCreated()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.MulticlassView(ml, 300, seed: 1);
        var options = new DenseNetworkOptions { Epochs = 3, Seed = 1, ValidationFraction = 0.2, L2Regularization = 1e-3, DropoutRate = 0.2, EarlyStopping = new EarlyStoppingOptions { Patience = 5, RestoreBestWeights = true } };
        ml.MulticlassClassification.Trainers.DenseNetwork(options).Fit(data); // warm-up: libtorch's own one-time allocations
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        foreach (var optimizer in Enum.GetValues<OptimizerKind>())
        {
            options.Optimizer = optimizer;
            ml.MulticlassClassification.Trainers.DenseNetwork(options).Fit(data);
        }

        Assert.AreEqual(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [TestMethod]
    public void Fit_EveryActivationAndOptimizer_Learns()
    {
        var ml = new MLContext(1);
        var train = SyntheticData.BinaryView(ml, 600, seed: 1);
        var test = SyntheticData.BinaryView(ml, 300, seed: 2);
        foreach (var activation in Enum.GetValues<Activation>())
        {
            foreach (var optimizer in Enum.GetValues<OptimizerKind>())
            {
                var options = new DenseNetworkOptions
                {
                    HiddenLayerSizes = new[] { 32 }, Activation = activation, Optimizer = optimizer, Epochs = 30, Seed = 1,
                    LearningRate = optimizer == OptimizerKind.Sgd ? 0.05 : 1e-2, Momentum = optimizer == OptimizerKind.Sgd ? 0.9 : 0,
                };
                var model = ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(train);
                double accuracy = ml.BinaryClassification.Evaluate(model.Transform(test)).Accuracy;
                Assert.IsGreaterThan(0.85, accuracy, $"{activation}/{optimizer}: {accuracy}");
            }
        }
    }
}
