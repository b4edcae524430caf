using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Evaluation.Tests;

/// <summary>
/// What a fanned-out search sends to its workers and gets back (JSON): the trial's options and the fold's outcome
/// survive the trip exactly, and nothing that shapes training is left behind.
/// </summary>
[TestClass]
public sealed class PortableTrialTests
{
    /// <summary>The serializer settings the command line's plans use: NaN round-trips, enums by name.</summary>
    private static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    [TestMethod]
    public void PortableOptions_CarryEveryOptionThatShapesTraining()
    {
        var settable = typeof(DenseNetworkOptions).GetProperties().Where(p => p.CanWrite).Select(p => p.Name).ToHashSet();
        var carried = typeof(PortableOptions).GetProperties().Select(p => p.Name).ToHashSet();
        string[] cannotTravel = { "ValidationData", "Callbacks", "Progress", "CancellationToken", "ClassWeights" };

        CollectionAssert.AreEquivalent(settable.Except(cannotTravel).ToArray(), settable.Intersect(carried).ToArray(),
            "a new DenseNetworkOptions member must travel to the workers (or be listed as one that cannot)");
        var options = new DenseNetworkOptions
        {
            HiddenLayerSizes = new[] { 5, 3 }, Activation = Activation.Tanh, Normalization = NormalizationKind.LayerNormalization, KernelInitializer = KernelInitializer.HeNormal,
            DropoutRate = 0.25, L1Regularization = 1e-5, L2Regularization = 3e-4, Optimizer = OptimizerKind.Adam, LearningRate = 0.0123456789, GradientClipNorm = 1.5,
            GradientClipValue = 0.5, Momentum = 0.9, WeightDecay = 0.01, RegressionLoss = RegressionLoss.Huber, BatchSize = 7, Epochs = 9, Shuffle = false,
            ShuffleBufferSize = 99, ValidationFraction = 0.3, EarlyStopping = new EarlyStoppingOptions { Patience = 3, MinDelta = 1e-3, RestoreBestWeights = true, Monitor = "val_accuracy" },
            ClassWeights = ClassWeights.Balanced, Seed = 11, NumberOfThreads = 2, ExampleWeightColumnName = "W",
        };
        string json = JsonSerializer.Serialize(PortableOptions.From(options), Json);
        var back = JsonSerializer.Deserialize<PortableOptions>(json, Json)!.ToOptions();

        foreach (var property in typeof(DenseNetworkOptions).GetProperties().Where(p => p.CanWrite && !cannotTravel.Contains(p.Name)))
        {
            object? expected = property.GetValue(options), actual = property.GetValue(back);
            if (expected is int[] sizes)
                CollectionAssert.AreEqual(sizes, (int[])actual!, property.Name);
            else if (expected is EarlyStoppingOptions e)
                Assert.AreEqual((e.Monitor, e.Patience, e.MinDelta, e.RestoreBestWeights), (back.EarlyStopping!.Monitor, back.EarlyStopping.Patience, back.EarlyStopping.MinDelta, back.EarlyStopping.RestoreBestWeights));
            else
                Assert.AreEqual(expected, actual, property.Name);
        }
        Assert.AreSame(ClassWeights.Balanced, back.ClassWeights);
    }

    [TestMethod]
    public void PortableFoldOutcome_RoundTripsAFoldsOutcomeBitForBit_AndReadsTheSameVerdict()
    {
        var ml = new MLContext(1);
        var data = TuningData.Load(ml, TuningData.Binary(90, seed: 2));
        var plan = FoldPlan.Create(data, TuningTask.Binary, "Label", 3, 1, 0.2, RegressionLoss.MeanSquaredError, seed: 5);
        var options = new DenseNetworkOptions { HiddenLayerSizes = new[] { 4 }, Epochs = 5, BatchSize = 16, EarlyStopping = new EarlyStoppingOptions { Patience = 1, RestoreBestWeights = true } };
        var outcome = FoldTraining.Train(TuningTask.Binary, options, plan.Folds[1], seed: 5, CancellationToken.None, TimeProvider.System);

        string json = JsonSerializer.Serialize(PortableFoldOutcome.From(outcome), Json);
        var back = JsonSerializer.Deserialize<PortableFoldOutcome>(json, Json)!.ToOutcome();

        Assert.AreEqual(outcome.Loss, back.Loss);
        CollectionAssert.AreEqual(outcome.Metrics.ToArray(), back.Metrics.ToArray(), "every metric, in order");
        Assert.AreEqual(outcome.History.Count, back.History.Count);
        for (int e = 0; e < outcome.History.Count; e++)
            Assert.AreEqual(outcome.History[e], back.History[e], $"epoch {e + 1}: every value, the duration too");
        Assert.AreEqual((outcome.History.Monitor, outcome.History.BestEpoch, outcome.History.Stop, outcome.History.RestoredBestWeights, outcome.History.BaselineLoss, outcome.History.StopReason, outcome.History.Seed),
            (back.History.Monitor, back.History.BestEpoch, back.History.Stop, back.History.RestoredBestWeights, back.History.BaselineLoss, back.History.StopReason, back.History.Seed));
        Assert.IsNotNull(back.History.BaselineLoss, "the fold's constant-prediction baseline travels with the history");
        Assert.AreEqual(outcome.Diagnosis.ToString(), back.Diagnosis.ToString());
        Assert.AreEqual(outcome.Duration, back.Duration);
    }

    [TestMethod]
    public void PortableOptions_OptionsBoundToThisProcess_AreRefusedNamingEach()
    {
        var options = new DenseNetworkOptions
        {
            ValidationData = new MLContext().Data.LoadFromEnumerable(TuningData.Binary(3, seed: 1)),
            Progress = new Progress<EpochMetrics>(),
        };
        options.Callbacks.Add(new TerminateAtEpochOne());

        var error = Assert.ThrowsExactly<ArgumentException>(() => PortableOptions.From(options));

        StringAssert.StartsWith(error.Message, "These DenseNetworkOptions cannot be sent to a worker process: ValidationData is set (each fold supplies its own validation rows); Callbacks are set; Progress is set.");
    }

    private sealed class TerminateAtEpochOne : IEpochCallback
    {
        public void OnEpochEnd(EpochEndContext context) => context.StopTraining();
    }
}
