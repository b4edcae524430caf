using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.ML;
using MlNetDeep.Training.Managed;

namespace MlNetDeep.Trainers.Tests;

/// <summary>
/// Seeded runs that go through every branch of the training loop (dropout, penalties, validation split and data,
/// early stopping with restored weights, learning-rate callbacks, a callback that stops, class and example weights,
/// every optimizer, a spike that recovers, divergence with each fallback) must keep their exact history and weights.
/// The digests were computed on main before the loop became an epoch loop with callbacks (commit e587cac), with one
/// libtorch thread; a change here means the numbers a user gets from the same seed changed.
/// </summary>
[TestClass]
public sealed class SeededRunReferenceTests
{
    private sealed class StopAt : IEpochCallback
    {
        private readonly int _epoch;

        public StopAt(int epoch) => _epoch = epoch;

        public void OnEpochEnd(EpochEndContext context)
        {
            if (context.Metrics.Epoch == _epoch)
                context.StopTraining();
        }
    }

    private static DenseNetworkTransformer Run(string scenario)
    {
        var ml = new MLContext(1);
        DenseNetworkOptions O(Action<DenseNetworkOptions> set)
        {
            var o = new DenseNetworkOptions { Seed = 7, NumberOfThreads = 1, Engine = TrainingEngine.LibTorch };
            set(o);
            return o;
        }
        switch (scenario)
        {
            case "binary-dropout-l2-early-restore":
                return ml.BinaryClassification.Trainers.DenseNetwork(O(o =>
                {
                    o.HiddenLayerSizes = new[] { 16, 8 };
                    o.DropoutRate = 0.3;
                    o.L2Regularization = 1e-3;
                    o.ValidationFraction = 0.25;
                    o.LearningRate = 0.01;
                    o.Epochs = 25;
                    o.EarlyStopping = new EarlyStoppingOptions { Patience = 2, RestoreBestWeights = true };
                })).Fit(SyntheticData.BinaryView(ml, 300, 2));
            case "multiclass-adam-scheduler-plateau-validationdata":
                var keyed = SyntheticData.MulticlassView(ml, 420, 1);
                return ml.MulticlassClassification.Trainers.DenseNetwork(O(o =>
                {
                    o.Optimizer = OptimizerKind.Adam;
                    o.L1Regularization = 1e-4;
                    o.Epochs = 8;
                    o.ValidationData = ml.Data.TakeRows(keyed, 120);
                    o.Callbacks.Add(new LearningRateScheduler((e, r) => e <= 2 ? 0.02 : r));
                    o.Callbacks.Add(new ReduceLearningRateOnPlateau { Patience = 1, Factor = 0.5, MinDelta = 0.01 });
                })).Fit(ml.Data.SkipRows(keyed, 120));
            case "regression-sgd-huber-noshuffle-callbackstop":
                return ml.Regression.Trainers.DenseNetwork(O(o =>
                {
                    o.Optimizer = OptimizerKind.Sgd;
                    o.Momentum = 0.9;
                    o.LearningRate = 0.01;
                    o.RegressionLoss = RegressionLoss.Huber;
                    o.Shuffle = false;
                    o.Epochs = 8;
                    o.Callbacks.Add(new StopAt(5));
                })).Fit(SyntheticData.RegressionView(ml, 200, 1));
            case "binary-adamw-classweights-exampleweights-earlystop-accuracy":
                return ml.BinaryClassification.Trainers.DenseNetwork(O(o =>
                {
                    o.Optimizer = OptimizerKind.AdamW;
                    o.ExampleWeightColumnName = "Weight";
                    o.ClassWeights = ClassWeights.Balanced;
                    o.Epochs = 12;
                    o.ValidationFraction = 0.2;
                    o.EarlyStopping = new EarlyStoppingOptions { Monitor = "val_accuracy", Patience = 3 };
                })).Fit(ml.Data.LoadFromEnumerable(SyntheticData.Binary(250, 4).Select((r, i) => { r.Weight = 1 + i % 3; return r; })));
            case "regression-spike-recovers":
                return ml.Regression.Trainers.DenseNetwork(O(o => { o.LearningRate = 1; o.Epochs = 6; })).Fit(SyntheticData.RegressionView(ml, 500, 1));
            case "binary-explodes-keeps-initial":
                return ml.BinaryClassification.Trainers.DenseNetwork(O(o => { o.LearningRate = 1e3; o.Epochs = 5; })).Fit(SyntheticData.BinaryView(ml, 300, 1));
            case "multiclass-nan-falls-back":
                return ml.MulticlassClassification.Trainers.DenseNetwork(O(o => { o.LearningRate = 1e38; o.Epochs = 5; })).Fit(SyntheticData.MulticlassView(ml, 32, 1));
            case "binary-overflowing-last-epoch":
                return ml.BinaryClassification.Trainers.DenseNetwork(O(o => { o.LearningRate = 1e38; o.Epochs = 1; })).Fit(SyntheticData.BinaryView(ml, 32, 1));
            default:
                throw new ArgumentException(scenario);
        }
    }

    /// <summary>Every number of the history in round-trip form, how it ended, and a SHA-256 of the weights' bits.</summary>
    internal static string Describe(DenseNetworkTransformer model)
    {
        static string F(double? v) => v?.ToString("R", CultureInfo.InvariantCulture) ?? "-";
        var h = model.History;
        var sb = new StringBuilder();
        foreach (var e in h)
            sb.Append(CultureInfo.InvariantCulture, $"{e.Epoch}:{F(e.Loss)}|{F(e.ValidationLoss)}|{F(e.Accuracy)}|{F(e.ValidationAccuracy)}|{F(e.LearningRate)};");
        sb.Append(CultureInfo.InvariantCulture, $" stop={h.Stop} best={h.BestEpoch} restored={h.RestoredBestWeights} reason={h.StopReason}");
        var bytes = model.Model.Layers.SelectMany(l => l.Weights.ToArray().Concat(l.Bias.ToArray())).SelectMany(BitConverter.GetBytes).ToArray();
        sb.Append(" weights=").Append(Convert.ToHexString(SHA256.HashData(bytes)));
        return sb.ToString();
    }

    private static string Digest(string description) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(description)))[..16];

    [TestMethod]
    [DataRow("binary-dropout-l2-early-restore", "E73436657BC12CF0")]
    [DataRow("multiclass-adam-scheduler-plateau-validationdata", "A9F13BBBC12D7BCF")]
    [DataRow("regression-sgd-huber-noshuffle-callbackstop", "B23C1123916F88DF")]
    [DataRow("binary-adamw-classweights-exampleweights-earlystop-accuracy", "5B8A18B015CB877F")]
    [DataRow("regression-spike-recovers", "C989E7419007B3E4")]
    [DataRow("binary-explodes-keeps-initial", "1EAD0E4F6C751759")]
    [DataRow("multiclass-nan-falls-back", "5EE0845AEB2E069E")]
    [DataRow("binary-overflowing-last-epoch", "E693EB254F6692DC")]
    public void SeededRun_HistoryAndWeights_MatchTheReference(string scenario, string digest)
    {
        string description = Describe(Run(scenario));

        Console.WriteLine($"{scenario} {Digest(description)} {description}");
        Assert.AreEqual(digest, Digest(description), description);
    }
}
