using Microsoft.ML;
using MlNetDeep.Training;

namespace MlNetDeep.Trainers.Tests;

/// <summary>Epoch callbacks: order, stopping, learning-rate changes, and the built-ins' Keras rules on scripted metrics.</summary>
[TestClass]
public sealed class CallbackTests
{
    [TestMethod]
    public void StopTraining_AtEpoch3_StopsThereAndSaysWhy()
    {
        var ml = new MLContext(1);
        var options = new DenseNetworkOptions { Epochs = 10, Seed = 1, Callbacks = { new Lambda(c => { if (c.Metrics.Epoch == 3) c.StopTraining(); }) } };

        var history = ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(SyntheticData.BinaryView(ml, 100, 1)).History;

        Assert.HasCount(3, history);
        Assert.AreEqual(StopKind.Callback, history.Stop);
        Assert.IsFalse(history.StoppedEarly);
        StringAssert.StartsWith(history.StopReason, "stopped by a callback after epoch 3");
    }

    [TestMethod]
    public void Callbacks_RunInListOrder_AfterEveryEpoch_SeeTheHistorySoFar()
    {
        var ml = new MLContext(1);
        var calls = new List<string>();
        var options = new DenseNetworkOptions
        {
            Epochs = 3,
            Seed = 1,
            Callbacks =
            {
                new Lambda(c => calls.Add($"A{c.Metrics.Epoch}/{c.History.Count}")),
                new Lambda(c => calls.Add($"B{c.Metrics.Epoch}/{c.History.Count}")),
            },
        };

        ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(SyntheticData.BinaryView(ml, 60, 1));

        CollectionAssert.AreEqual(new[] { "A1/1", "B1/1", "A2/2", "B2/2", "A3/3", "B3/3" }, calls);
    }

    [TestMethod]
    public void LearningRateSetByACallback_TakesEffectFromTheNextEpoch()
    {
        foreach (var optimizer in new[] { OptimizerKind.RmsProp, OptimizerKind.Adam, OptimizerKind.Sgd })
        {
            var ml = new MLContext(1);
            var options = new DenseNetworkOptions
            {
                Epochs = 5,
                Seed = 1,
                LearningRate = 0.01,
                Optimizer = optimizer,
                Shuffle = false,
                Callbacks = { new Lambda(c => { if (c.Metrics.Epoch == 2) c.LearningRate = 0; }) },
            };

            var history = ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(SyntheticData.BinaryView(ml, 200, 1)).History;

            CollectionAssert.AreEqual(new double?[] { 0.01, 0.01, 0, 0, 0 }, history.Select(e => e.LearningRate).ToArray(), optimizer.ToString());
            Assert.AreNotEqual(history[0].Loss, history[1].Loss, $"{optimizer}: the weights move at rate 0.01");
            Assert.AreEqual(history[2].Loss, history[3].Loss, 1e-7, $"{optimizer}: at rate 0 the weights stay put");
            Assert.AreEqual(history[3].Loss, history[4].Loss, 1e-7, $"{optimizer}: at rate 0 the weights stay put");
        }
    }

    [TestMethod]
    public void LearningRateScheduler_SetsEveryEpochsRate_FirstOneIncluded()
    {
        var ml = new MLContext(1);
        var options = new DenseNetworkOptions
        {
            Epochs = 6,
            Seed = 1,
            LearningRate = 0.1,
            Callbacks = { new LearningRateScheduler((epoch, rate) => 0.08 * Math.Pow(0.5, (epoch - 1) / 2)) },
        };

        var history = ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(SyntheticData.BinaryView(ml, 60, 1)).History;

        CollectionAssert.AreEqual(new double?[] { 0.08, 0.08, 0.04, 0.04, 0.02, 0.02 }, history.Select(e => e.LearningRate).ToArray());
    }

    [TestMethod]
    public void LearningRateScheduler_InvalidRate_ThrowsNamingTheEpoch()
    {
        var ml = new MLContext(1);
        var options = new DenseNetworkOptions { Epochs = 3, Seed = 1, Callbacks = { new LearningRateScheduler((epoch, rate) => epoch == 2 ? double.NaN : rate) } };

        var error = Assert.Throws<InvalidOperationException>(() => ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(SyntheticData.BinaryView(ml, 60, 1)));

        Assert.AreEqual("The learning-rate schedule returned NaN for epoch 2; expected a finite number >= 0.", error.Message);
    }

    [TestMethod]
    public void ReduceLearningRateOnPlateau_ScriptedLosses_CutsAtKerasEpochs_WithCooldownAndMinimum()
    {
        // Keras' ReduceLROnPlateau on the same list (patience 2, factor 0.5, cooldown 1) cuts after epochs 4, 6 and 10
        double[] losses = { 1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8 };
        var plateau = new ReduceLearningRateOnPlateau { Monitor = "loss", Patience = 2, Factor = 0.5, Cooldown = 1 };
        CollectionAssert.AreEqual(new[] { 1, 1, 1, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.125 }, Run(plateau, losses, 1.0));

        var floored = new ReduceLearningRateOnPlateau { Monitor = "loss", Patience = 2, Factor = 0.5, Cooldown = 1, MinLearningRate = 0.2 };
        CollectionAssert.AreEqual(new[] { 1, 1, 1, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.2 }, Run(floored, losses, 1.0));

        // the floor is compared in float32, as Keras does: 1e-3 × 0.1³ = 1.0000000000000002e-6 in double is at the 1e-6 floor, no fourth cut
        var tenths = new ReduceLearningRateOnPlateau { Monitor = "loss", Patience = 1, Factor = 0.1, MinLearningRate = 1e-6 };
        var rates = Run(tenths, new[] { 1.0, 1.0, 1.0, 1.0, 1.0, 1.0 }, 1e-3);
        Assert.AreEqual(1e-3 * 0.1 * 0.1 * 0.1, rates[^1]);
        Assert.AreEqual(4, rates.Distinct().Count(), string.Join(", ", rates));

        // a change smaller than MinDelta is no improvement; accuracy must rise
        var delta = new ReduceLearningRateOnPlateau { Monitor = "loss", Patience = 1, Factor = 0.1, MinDelta = 0.05 };
        CollectionAssert.AreEqual(new[] { 1, 0.1, 0.1 }, Run(delta, new[] { 1.0, 0.96, 0.90 }, 1.0), "0.96 is within MinDelta of 1.0; 0.90 is not");
        var accuracy = new ReduceLearningRateOnPlateau { Monitor = "accuracy", Patience = 1, Factor = 0.5 };
        CollectionAssert.AreEqual(new[] { 1, 1, 0.5 }, Run(accuracy, new[] { 0.5, 0.6, 0.55 }, 1.0, accuracy: true));
    }

    [TestMethod]
    public void ReduceLearningRateOnPlateau_StateStartsAfreshAtEveryFit()
    {
        var plateau = new ReduceLearningRateOnPlateau { Monitor = "loss", Patience = 2, Factor = 0.5 };
        var first = Run(plateau, new[] { 1.0, 1.0, 1.0 }, 1.0);
        var second = Run(plateau, new[] { 1.0, 1.0, 1.0 }, 1.0);

        CollectionAssert.AreEqual(first, second, "a second Fit with the same options object does not inherit the first one's best value or wait count");
    }

    [TestMethod]
    public void ReduceLearningRateOnPlateau_InsideFit_CutsWhenTheLossStalls()
    {
        var ml = new MLContext(1);
        var options = new DenseNetworkOptions
        {
            Epochs = 6,
            Seed = 1,
            Optimizer = OptimizerKind.Sgd,
            LearningRate = 1e-9, // the loss moves by far less than MinDelta: a plateau from epoch 2 on
            Callbacks = { new ReduceLearningRateOnPlateau { Monitor = "loss", Patience = 2 } },
        };

        var history = ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(SyntheticData.BinaryView(ml, 100, 1)).History;

        var rates = history.Select(e => e.LearningRate!.Value).ToArray();
        double[] expected = { 1e-9, 1e-9, 1e-9, 1e-10, 1e-10, 1e-11 };
        for (int i = 0; i < rates.Length; i++)
            Assert.AreEqual(expected[i], rates[i], expected[i] * 1e-9, $"epoch {i + 1}");
    }

    [TestMethod]
    public void Options_InvalidCallbacks_AreListedInOneMessage()
    {
        var options = new DenseNetworkOptions
        {
            Callbacks = { null!, new ReduceLearningRateOnPlateau { Factor = 1.5, Patience = -1 } }, // val_loss without validation data
        };

        var error = Assert.Throws<ArgumentException>(() => options.Validate());

        StringAssert.Contains(error.Message, "Invalid value for Callbacks[0]: expected a callback. Received: Callbacks[0]=null.");
        StringAssert.Contains(error.Message, "Invalid value for ReduceLearningRateOnPlateau.Monitor: expected a training metric (\"loss\", \"accuracy\") when there is no validation data");
        StringAssert.Contains(error.Message, "Invalid value for ReduceLearningRateOnPlateau.Factor: expected a number in (0, 1). Received: ReduceLearningRateOnPlateau.Factor=1.5.");
        StringAssert.Contains(error.Message, "Invalid value for ReduceLearningRateOnPlateau.Patience: expected an integer >= 0. Received: ReduceLearningRateOnPlateau.Patience=-1.");
    }

    [TestMethod]
    public void EpochEndContext_NegativeRate_IsRefused()
    {
        var context = new EpochEndContext(new EpochMetrics { Epoch = 1, Loss = 1 }, new TrainingHistory(), 0.1);

        Assert.Throws<ArgumentOutOfRangeException>(() => context.LearningRate = -1);
        Assert.AreEqual(0.1, context.LearningRate);
    }

    [TestMethod]
    public void LearningRateAndStop_SurviveSaveAndLoad()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.BinaryView(ml, 60, 1);
        var options = new DenseNetworkOptions { Epochs = 5, Seed = 1, Callbacks = { new LearningRateScheduler((e, r) => 0.001 * e), new Lambda(c => { if (c.Metrics.Epoch == 4) c.StopTraining(); }) } };
        var model = ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;

        var history = DenseNetworkModel.FromTransformer(new MLContext().Model.Load(stream, out _)).History!;

        Assert.AreEqual(StopKind.Callback, history.Stop);
        CollectionAssert.AreEqual(model.History.Select(e => e.LearningRate).ToArray(), history.Select(e => e.LearningRate).ToArray());
        Assert.AreEqual(0.004, history[^1].LearningRate!.Value, 1e-15);
    }

    /// <summary>Feeds scripted metrics to a callback as the trainer would; returns the rate after each epoch.</summary>
    private static double[] Run(ReduceLearningRateOnPlateau callback, double[] values, double rate, bool accuracy = false)
    {
        ((ITrainingCallback)callback).OnTrainBegin();
        var history = new TrainingHistory();
        var rates = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            var metrics = accuracy
                ? new EpochMetrics { Epoch = i + 1, Loss = 1, Accuracy = values[i] }
                : new EpochMetrics { Epoch = i + 1, Loss = values[i] };
            history.Add(metrics);
            var context = new EpochEndContext(metrics, history, rate);
            callback.OnEpochEnd(context);
            rate = rates[i] = context.LearningRate;
        }
        return rates;
    }

    private sealed class Lambda : IEpochCallback
    {
        private readonly Action<EpochEndContext> _action;

        public Lambda(Action<EpochEndContext> action) => _action = action;

        public void OnEpochEnd(EpochEndContext context) => _action(context);
    }
}
