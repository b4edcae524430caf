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
        Assert.IsFalse(guard.Exploded(2.865e4), "the same run on the 4,000-row embedded subset, seed 43: 12,450 ×");
        guard.Accept(1421.0659);
        guard.Accept(3.4634);
        Assert.AreEqual(2.35, guard.Reference, "the untrained network's loss, until an epoch beats it");
        guard.Accept(0.3224);
        Assert.AreEqual(FashionBaseline, guard.Reference, "the reference never drops below the baseline");
    }

    [TestMethod]
    public void LabLearningRate1e3_ExplodesAndDoesNotRecover()
    {
        var guard = new DivergenceGuard(FashionBaseline);
        guard.SetInitialLoss(2.35);

        Assert.IsTrue(guard.Exploded(1.476e9), "epoch 1's mean at lr 1e3: 6.4e8 × baseline");
        Assert.IsFalse(guard.Recovered(9011), "its final weights: 3,914 × the reference");
        StringAssert.StartsWith(guard.Explain(1.476e9, 9011, 1), "the training loss rose to 1.476E+09 in epoch 1, more than 1000000 × the reference loss 2.35 (the baseline, a constant prediction's loss, is 2.303), and the weights it ended with still score 9011 on the training rows");
    }

    [TestMethod]
    public void ExplosionAndRecoveryLines_AreExactly1e6And10TimesTheReference()
    {
        var guard = new DivergenceGuard(0.5);
        guard.SetInitialLoss(0.70);

        Assert.IsFalse(guard.Exploded(1e6 * 0.70));
        Assert.IsTrue(guard.Exploded(1e6 * 0.70 * 1.001));
        Assert.IsTrue(guard.Exploded(double.NaN));
        Assert.IsTrue(guard.Exploded(double.PositiveInfinity));
        Assert.IsTrue(guard.Recovered(10 * 0.70), "a spike within the epoch whose final weights came back: training goes on");
        Assert.IsFalse(guard.Recovered(10 * 0.70 * 1.001));
        Assert.IsFalse(guard.Recovered(double.NaN));
    }

    [TestMethod]
    public void Reference_IsTheLargerOfBaselineAndTheBestLossSoFar()
    {
        var unscaled = new DivergenceGuard(0.5);
        unscaled.SetInitialLoss(5e6); // unscaled inputs: the untrained network is far above the baseline

        Assert.AreEqual(5e6, unscaled.Reference, "not judged against a baseline it has not reached yet");
        Assert.IsFalse(unscaled.Exploded(4e12));
        unscaled.Accept(10);
        Assert.AreEqual(10, unscaled.Reference, "progress lowers the line");
        Assert.IsTrue(unscaled.Exploded(1e8), "10^7 × its best loss after it had come down");
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
        Assert.IsFalse(guard.Exploded(1e5));
    }

    [TestMethod]
    public void BeforeTheFirstBatch_OnlyNonFiniteLossesCount()
    {
        var guard = new DivergenceGuard(0);

        Assert.IsFalse(guard.Exploded(1e30), "no reference yet: only a non-finite loss counts");
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
