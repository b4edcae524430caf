using Microsoft.ML;
using MlNetDeep.TestUtilities;
using MlNetDeep.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetDeep.Trainers.Tests;

/// <summary>
/// BatchNormalization and LayerNormalization while training: Keras' statistics, eval mode for validation, snapshots
/// that carry the moving statistics, and what normalization buys on badly scaled inputs.
/// </summary>
[TestClass]
public sealed class NormalizationTests
{
    public TestContext TestContext { get; set; } = null!;

    /// <summary>A module 2 → 2 (identity kernel, zero bias) → 1, so the normalization sees the input itself.</summary>
    private static DenseNetworkModule IdentityModule(NormalizationKind kind, Generator generator)
    {
        var module = new DenseNetworkModule(2, new[] { 2 }, 1, Activation.Relu, 0, generator, kind);
        using (no_grad())
            module.Layers[0].weight!.copy_(eye(2));
        return module;
    }

    [TestMethod]
    public void BatchNormalization_TrainingStep_MovesTheStatisticsAsKerasDoes()
    {
        using var generator = new Generator(1, CPU);
        using var module = IdentityModule(NormalizationKind.BatchNormalization, generator);
        var bn = module.Normalizations[0];
        using var x = tensor(new float[] { 1, 2, 3, 5, 7, 11 }, new long[] { 3, 2 });
        // by hand: column means 11/3 and 6; biased variances ((1-11/3)² + (3-11/3)² + (7-11/3)²)/3 = 56/9 and (16+1+25)/3 = 14
        double[] mean = { 11.0 / 3, 6 }, variance = { 56.0 / 9, 14 };

        module.train();
        using (var normalized = bn.forward(module.Layers[0].forward(x)))
        {
            var n = normalized.data<float>().ToArray();
            for (int c = 0; c < 2; c++)
            {
                for (int r = 0; r < 3; r++)
                    Assert.AreEqual((x.data<float>()[(r * 2) + c] - mean[c]) / Math.Sqrt(variance[c] + 1e-3), n[(r * 2) + c], 1e-5, $"training normalizes by the batch statistics, row {r} unit {c}");
            }
        }
        var movingMean = bn.MovingMean!.data<float>().ToArray();
        var movingVariance = bn.MovingVariance!.data<float>().ToArray();
        for (int c = 0; c < 2; c++)
        {
            Assert.AreEqual(0.99 * 0 + 0.01 * mean[c], movingMean[c], 1e-6, "moving mean starts at 0, momentum 0.99");
            Assert.AreEqual(0.99 * 1 + 0.01 * variance[c], movingVariance[c], 1e-6, "moving variance starts at 1 and takes the biased batch variance (Keras; PyTorch would take n/(n-1) of it)");
        }
        Assert.HasCount(2, module.parameters().Skip(4).ToArray(), "gamma and beta are trained after the two Linear layers' weights and biases");
        Assert.HasCount(2, module.buffers().ToArray(), "the moving statistics are buffers");

        module.eval();
        using var inference = bn.forward(x);
        var y = inference.data<float>().ToArray();
        Assert.AreEqual((1 - movingMean[0]) / Math.Sqrt(movingVariance[0] + 1e-3), y[0], 1e-5, "inference uses the moving statistics");
        CollectionAssert.AreEqual(movingMean, bn.MovingMean.data<float>().ToArray(), "inference leaves them alone");
    }

    [TestMethod]
    public void LayerNormalization_NormalizesEachRowByItsOwnStatistics_InTrainingAndInference()
    {
        using var generator = new Generator(1, CPU);
        using var module = new DenseNetworkModule(3, new[] { 3 }, 1, Activation.Relu, 0, generator, NormalizationKind.LayerNormalization);
        using var x = tensor(new float[] { 1, 2, 6, -3, 0, 30 }, new long[] { 2, 3 });
        var ln = module.Normalizations[0];

        module.train();
        using var training = ln.forward(x);
        module.eval();
        using var inference = ln.forward(x);

        // row 0: mean 3, biased variance (4 + 1 + 9)/3
        Assert.AreEqual((1 - 3) / Math.Sqrt(14.0 / 3 + 1e-3), training.data<float>()[0], 1e-6);
        CollectionAssert.AreEqual(training.data<float>().ToArray(), inference.data<float>().ToArray());
        Assert.IsEmpty(module.buffers().ToArray(), "layer normalization keeps no statistics");
    }

    [TestMethod]
    public void BatchNormalization_OneRowLastBatch_KeepsMovingStatisticsFinite()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.BinaryView(ml, 33, seed: 1); // batches of 32 and 1
        var model = ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions
        {
            HiddenLayerSizes = new[] { 4 }, Normalization = NormalizationKind.BatchNormalization, Epochs = 3, Seed = 1,
        }).Fit(data);

        var bn = model.Model.Layers[0].Normalization!;
        Assert.IsTrue(bn.MovingVariance.ToArray().All(float.IsFinite), "a one-row batch has variance 0, not NaN (PyTorch's unbiased update would divide by 0)");
        Assert.IsTrue(Columns.Scalars<float>(model.Transform(data), "Score").All(float.IsFinite));
        Assert.AreEqual(StopKind.Completed, model.History.Stop);
    }

    [TestMethod]
    public void ValidationLoss_WithBatchNormalization_IsTheSavedModelsLoss()
    {
        // val_loss is computed in eval mode (moving statistics), so it equals the loss of the model Fit returns
        var ml = new MLContext(1);
        var validationRows = SyntheticData.Binary(80, seed: 9);
        var model = ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions
        {
            HiddenLayerSizes = new[] { 8 }, Normalization = NormalizationKind.BatchNormalization, Epochs = 3, Seed = 4,
            ValidationData = ml.Data.LoadFromEnumerable(validationRows),
        }).Fit(SyntheticData.BinaryView(ml, 200, seed: 1));

        var p = Columns.Scalars<float>(model.Transform(ml.Data.LoadFromEnumerable(validationRows)), "Probability");
        double loss = validationRows.Select((r, i) => -Math.Log(r.Label ? p[i] : 1 - p[i])).Average();

        // what val_loss would be in training mode (normalized by the validation rows' own statistics)
        using var generator = new Generator(1, CPU);
        using var module = DenseNetworkModule.FromModel(model.Model, 0, generator);
        module.train();
        using var noGrad = no_grad();
        using var x = tensor(validationRows.SelectMany(r => r.Features).ToArray(), new long[] { validationRows.Count, 4 });
        using var batchStatistics = module.forward(x).sigmoid();
        var q = batchStatistics.data<float>().ToArray();
        double trainingModeLoss = validationRows.Select((r, i) => -Math.Log(r.Label ? q[i] : 1 - q[i])).Average();

        TestContext.WriteLine($"val_loss {model.History[^1].ValidationLoss:R}, saved model's loss {loss:R}, training-mode loss {trainingModeLoss:R}");
        Assert.AreEqual(loss, model.History[^1].ValidationLoss!.Value, 1e-5);
        Assert.IsGreaterThan(1e-3, Math.Abs(trainingModeLoss - loss), "the check can tell the two modes apart");
    }

    [TestMethod]
    public void RestoreBestWeights_WithBatchNormalization_RestoresTheMovingStatisticsToo()
    {
        var ml = new MLContext(1);
        var rows = SyntheticData.Binary(300, seed: 2);
        foreach (var row in rows.Skip(200))
            row.Label = !row.Label; // the validation rows contradict the training rows: val_loss gets worse soon
        var data = ml.Data.LoadFromEnumerable(rows);
        DenseNetworkOptions Options(int epochs, EarlyStoppingOptions? es) => new()
        {
            HiddenLayerSizes = new[] { 16 }, Normalization = NormalizationKind.BatchNormalization, Epochs = epochs, ValidationFraction = 1.0 / 3,
            Seed = 9, LearningRate = 3e-3, EarlyStopping = es, NumberOfThreads = 1,
        };

        var stopped = ml.BinaryClassification.Trainers.DenseNetwork(Options(30, new EarlyStoppingOptions { Patience = 2, RestoreBestWeights = true })).Fit(data);
        int best = stopped.BestEpoch!.Value;
        var exact = ml.BinaryClassification.Trainers.DenseNetwork(Options(best, null)).Fit(data);

        Assert.IsTrue(stopped.History.RestoredBestWeights);
        var a = exact.Model.Layers[0].Normalization!;
        var b = stopped.Model.Layers[0].Normalization!;
        CollectionAssert.AreEqual(a.MovingMean.ToArray(), b.MovingMean.ToArray(), "moving mean of the best epoch");
        CollectionAssert.AreEqual(a.MovingVariance.ToArray(), b.MovingVariance.ToArray(), "moving variance of the best epoch");
        CollectionAssert.AreEqual(a.Gamma.ToArray(), b.Gamma.ToArray());
        CollectionAssert.AreEqual(a.Beta.ToArray(), b.Beta.ToArray());
        Assert.IsTrue(Columns.BitEqual(Columns.Scalars<float>(exact.Transform(data), "Score"), Columns.Scalars<float>(stopped.Transform(data), "Score")));
    }

    [TestMethod]
    public void LoadLayers_TrainedNetwork_CarriesNormalizationIntoANewModule_AndRefusesAnotherKind()
    {
        // what a warm start does: a new module gets a trained network's kernels, biases, gamma, beta and moving statistics
        var ml = new MLContext(1);
        var model = ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions
        {
            HiddenLayerSizes = new[] { 5 }, Normalization = NormalizationKind.BatchNormalization, Epochs = 2, Seed = 1,
        }).Fit(SyntheticData.BinaryView(ml, 100, seed: 1)).Model;
        using var generator = new Generator(2, CPU);
        using var module = new DenseNetworkModule(4, new[] { 5 }, 1, Activation.Relu, 0, generator, NormalizationKind.BatchNormalization);
        using var other = new DenseNetworkModule(4, new[] { 5 }, 1, Activation.Relu, 0, generator, NormalizationKind.LayerNormalization);

        module.LoadLayers(model.Layers);
        var copied = NetworkWeights.From(module);
        var error = Assert.ThrowsExactly<ArgumentException>(() => other.LoadLayers(model.Layers));

        for (int i = 0; i < 2; i++)
        {
            CollectionAssert.AreEqual(model.Layers[i].Weights.ToArray(), copied[i].Weights.ToArray());
            CollectionAssert.AreEqual(model.Layers[i].Bias.ToArray(), copied[i].Bias.ToArray());
        }
        var a = model.Layers[0].Normalization!;
        var b = copied[0].Normalization!;
        CollectionAssert.AreEqual(a.Gamma.ToArray(), b.Gamma.ToArray());
        CollectionAssert.AreEqual(a.Beta.ToArray(), b.Beta.ToArray());
        CollectionAssert.AreEqual(a.MovingMean.ToArray(), b.MovingMean.ToArray());
        CollectionAssert.AreEqual(a.MovingVariance.ToArray(), b.MovingVariance.ToArray());
        StringAssert.StartsWith(error.Message, "Layer 0 has normalization BatchNormalization; this network's has LayerNormalization.");
    }

    [TestMethod]
    public void L2Penalty_WithNormalization_CoversKernelsOnly()
    {
        // with learning rate 0 nothing moves but the moving statistics: the loss difference is λ·Σ kernel², with no
        // λ·Σ gamma² (gamma starts at 1: 24 units would add 0.24)
        var ml = new MLContext(1);
        var data = SyntheticData.BinaryView(ml, 256, seed: 1);
        foreach (var kind in new[] { NormalizationKind.BatchNormalization, NormalizationKind.LayerNormalization })
        {
            DenseNetworkOptions Options(double l2) => new()
            {
                HiddenLayerSizes = new[] { 16, 8 }, Normalization = kind, LearningRate = 0, Epochs = 1, Seed = 3, L2Regularization = l2, Shuffle = false,
            };

            var plain = ml.BinaryClassification.Trainers.DenseNetwork(Options(0)).Fit(data);
            var penalized = ml.BinaryClassification.Trainers.DenseNetwork(Options(0.01)).Fit(data);

            double sumOfSquares = penalized.Model.Layers.Sum(l => l.Weights.ToArray().Sum(w => (double)w * w));
            Assert.AreEqual(0.01 * sumOfSquares, penalized.History[0].Loss - plain.History[0].Loss, 1e-5, $"{kind}");
        }
    }

    [TestMethod]
    public void BadlyScaledInputs_BatchNormalization_TrainsBetterThanNone()
    {
        // features in the thousands, offset far from zero: plain Dense layers start saturated (measured best val_loss:
        // none 8.2, batch 0.54, layer 0.47)
        var ml = new MLContext(1);
        var rows = SyntheticData.Binary(600, seed: 3);
        foreach (var row in rows)
            row.Features = row.Features.Select((f, j) => (f * 1000) + (j * 5000)).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        double BestValidationLoss(NormalizationKind kind) => ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions
        {
            HiddenLayerSizes = new[] { 32, 32 }, Normalization = kind, Epochs = 10, ValidationFraction = 0.25, Seed = 5, NumberOfThreads = 1,
        }).Fit(data).History.ValidationLosses.Min();

        double none = BestValidationLoss(NormalizationKind.None);
        double batch = BestValidationLoss(NormalizationKind.BatchNormalization);
        double layer = BestValidationLoss(NormalizationKind.LayerNormalization);

        TestContext.WriteLine($"best val_loss: none {none:G4}, batch {batch:G4}, layer {layer:G4}");
        Assert.IsLessThan(none / 2, batch);
        Assert.IsLessThan(none / 2, layer);
    }

    [TestMethod]
    public void Fit_WithNormalizationAndNormalInitializer_ReleasesEveryTensorItCreated()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.MulticlassView(ml, 300, seed: 1);
        DenseNetworkOptions Options(NormalizationKind kind) => new()
        {
            Normalization = kind, KernelInitializer = KernelInitializer.HeNormal, Epochs = 3, Seed = 1, ValidationFraction = 0.2, DropoutRate = 0.2,
            EarlyStopping = new EarlyStoppingOptions { Patience = 5, RestoreBestWeights = true },
        };
        ml.MulticlassClassification.Trainers.DenseNetwork(Options(NormalizationKind.BatchNormalization)).Fit(data); // warm-up: libtorch's own one-time allocations
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        foreach (var kind in new[] { NormalizationKind.BatchNormalization, NormalizationKind.LayerNormalization })
            ml.MulticlassClassification.Trainers.DenseNetwork(Options(kind)).Fit(data);

        Assert.AreEqual(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [TestMethod]
    public void CrossValidate_PipelineWithNormalization_EveryFoldLearns()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.Multiclass(300, seed: 4));
        foreach (var kind in new[] { NormalizationKind.BatchNormalization, NormalizationKind.LayerNormalization })
        {
            var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
                .Append(ml.MulticlassClassification.Trainers.DenseNetwork(new DenseNetworkOptions
                {
                    HiddenLayerSizes = new[] { 16 }, Normalization = kind, KernelInitializer = KernelInitializer.HeNormal, LearningRate = 1e-2, Epochs = 10, Seed = 1, NumberOfThreads = 1,
                }));

            var folds = ml.MulticlassClassification.CrossValidate(data, pipeline, numberOfFolds: 3);

            foreach (var fold in folds)
            {
                TestContext.WriteLine($"{kind} fold {fold.Fold}: {fold.Metrics.MicroAccuracy:F3}");
                Assert.AreEqual(kind, DenseNetworkModel.FromTransformer(fold.Model).Normalization);
                Assert.IsGreaterThan(0.85, fold.Metrics.MicroAccuracy, $"{kind} fold {fold.Fold}");
            }
        }
    }
}
