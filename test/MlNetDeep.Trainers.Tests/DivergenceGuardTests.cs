using Microsoft.ML;
using MlNetDeep.Training;

namespace MlNetDeep.Trainers.Tests;

/// <summary>The explosion rule on scripted losses (the numbers of the measured runs quoted in DivergenceGuard's docs), and the baseline loss on hand-computed rows.</summary>
[TestClass]
public sealed class DivergenceGuardTests
{
    private const double FashionBaseline = 2.303; // ln 10: Fashion-MNIST's ten balanced classes

    [TestMethod]
    public void LabExperiment3_LearningRateOne_SpikeOf617TimesBaseline_IsNotAnExplosion()
    {
        var guard = new DivergenceGuard(FashionBaseline);
        guard.SetInitialLoss(2.35);

        Assert.IsFalse(guard.Exploded(1421.0659), "epoch 1's mean training loss of the lab's lr 1.0 run (seed 42): 617 × baseline");
        guard.Accept(1421.0659);
        Assert.IsFalse(guard.Exploded(3.4634));
        guard.Accept(3.4634);
        Assert.AreEqual(2.35, guard.Reference, "the untrained network's loss, until an epoch beats it");
        guard.Accept(0.3224);
        Assert.AreEqual(FashionBaseline, guard.Reference, "the reference never drops below the baseline");
        Assert.IsTrue(guard.Exploded(23031), "10^4 × 2.303 is the line");
    }

    [TestMethod]
    public void LossesAbove10000TimesTheReference_AreExplosions()
    {
        var guard = new DivergenceGuard(0.6822);
        guard.SetInitialLoss(0.70);

        Assert.IsFalse(guard.Exploded(1e4 * 0.70));
        Assert.IsTrue(guard.Exploded(1e4 * 0.70 * 1.001));
        Assert.IsTrue(guard.Exploded(4.95e7), "RMSprop lr 1e3, binary, epoch 1: 7.3e7 × baseline");
        Assert.IsTrue(guard.Exploded(double.NaN));
        Assert.IsTrue(guard.Exploded(double.PositiveInfinity));
    }

    [TestMethod]
    public void Reference_IsTheLargerOfBaselineAndTheBestLossSoFar()
    {
        var unscaled = new DivergenceGuard(0.5);
        unscaled.SetInitialLoss(5e6); // unscaled inputs: the untrained network is far above the baseline

        Assert.AreEqual(5e6, unscaled.Reference, "not judged against a baseline it has not reached yet");
        Assert.IsFalse(unscaled.Exploded(4e10));
        unscaled.Accept(10);
        Assert.AreEqual(10, unscaled.Reference, "progress lowers the line");
        Assert.IsTrue(unscaled.Exploded(1e6), "10^5 × its best loss after it had come down");
        unscaled.Accept(0.0004);
        Assert.AreEqual(0.5, unscaled.Reference, "a tiny best loss does not make a small bump an explosion");
    }

    [TestMethod]
    public void ConstantLabels_BaselineZero_InitialLossTakesItsPlace()
    {
        var guard = new DivergenceGuard(0);
        guard.SetInitialLoss(0.8);
        guard.Accept(1e-6);

        Assert.AreEqual(0.8, guard.Reference);
        Assert.IsFalse(guard.Exploded(0.5));
    }

    [TestMethod]
    public void BeforeTheFirstBatch_OnlyNonFiniteLossesCount()
    {
        var guard = new DivergenceGuard(0);

        Assert.IsFalse(guard.Exploded(1e30));
        Assert.IsTrue(guard.Exploded(double.NaN));
    }

    [TestMethod]
    public void BaselineLoss_HandComputedValues()
    {
        var ml = new MLContext(1);
        TrainingSet Read(IDataView view, NetworkTask task, string? weight = null) =>
            TrainingSet.Read(view, task, "Features", "Label", weight, null, CancellationToken.None);
        float[] x = new float[4];
        var binary = ml.Data.LoadFromEnumerable(new[] { true, true, true, false }.Select(l => new BinaryRow { Features = x, Label = l }));
        var weighted = ml.Data.LoadFromEnumerable(new[] { (true, 1f), (true, 1f), (true, 1f), (false, 3f) }.Select(r => new BinaryRow { Features = x, Label = r.Item1, Weight = r.Item2 }));
        var regression = ml.Data.LoadFromEnumerable(new[] { 1f, 2f, 3f, 4f }.Select(l => new RegressionRow { Features = x, Label = l }));
        var constant = ml.Data.LoadFromEnumerable(new[] { 7f, 7f }.Select(l => new RegressionRow { Features = x, Label = l }));
        var multiclassRows = ml.Data.LoadFromEnumerable(new[] { "a", "a", "b", "c" }.Select(l => new MulticlassRow { Features = x, Label = l }));
        var multiclass = ml.Transforms.Conversion.MapValueToKey("Label").Fit(multiclassRows).Transform(multiclassRows);

        // priors 3/4, 1/4: −(0.75·ln 0.75 + 0.25·ln 0.25)
        Assert.AreEqual(0.562335, BaselineLoss.Of(Read(binary, NetworkTask.Binary), NetworkTask.Binary, RegressionLoss.MeanSquaredError, 2), 1e-6);
        // weighted priors 3/6, 3/6; Keras reduction Σw·l / n = 6·ln 2 / 4
        Assert.AreEqual(6 * Math.Log(2) / 4, BaselineLoss.Of(Read(weighted, NetworkTask.Binary, "Weight"), NetworkTask.Binary, RegressionLoss.MeanSquaredError, 2), 1e-6);
        // priors 1/2, 1/4, 1/4: −(0.5·ln 0.5 + 2·0.25·ln 0.25)
        Assert.AreEqual(1.039721, BaselineLoss.Of(Read(multiclass, NetworkTask.Multiclass), NetworkTask.Multiclass, RegressionLoss.MeanSquaredError, 3), 1e-6);
        // mean 2.5: squared errors 2.25, 0.25, 0.25, 2.25; Huber(δ=1) 1.0, 0.125, 0.125, 1.0
        Assert.AreEqual(1.25, BaselineLoss.Of(Read(regression, NetworkTask.Regression), NetworkTask.Regression, RegressionLoss.MeanSquaredError, 1), 1e-9);
        Assert.AreEqual(0.5625, BaselineLoss.Of(Read(regression, NetworkTask.Regression), NetworkTask.Regression, RegressionLoss.Huber, 1), 1e-9);
        Assert.AreEqual(0.0, BaselineLoss.Of(Read(constant, NetworkTask.Regression), NetworkTask.Regression, RegressionLoss.MeanSquaredError, 1));
    }
}
