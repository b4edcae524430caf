using Microsoft.ML;

namespace MlNetDeep.Trainers.Tests;

/// <summary>GradientClipNorm and GradientClipValue (Keras' clipnorm / clipvalue): checked against a hand-computed SGD step, per weight tensor.</summary>
[TestClass]
public sealed class GradientClippingTests
{
    private const float LearningRate = 0.5f;

    /// <summary>One SGD step on 64 rows in one batch of a network without hidden layers (a logistic regression).</summary>
    private static (double[] Kernel, double Bias) OneStep(double? clipNorm, double? clipValue, double learningRate = LearningRate)
    {
        var ml = new MLContext(1);
        var options = new DenseNetworkOptions
        {
            HiddenLayerSizes = Array.Empty<int>(), Optimizer = OptimizerKind.Sgd, LearningRate = learningRate, BatchSize = 64, Epochs = 1,
            Shuffle = false, Seed = 3, NumberOfThreads = 1, GradientClipNorm = clipNorm, GradientClipValue = clipValue,
        };
        var layer = ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(ml.Data.LoadFromEnumerable(SyntheticData.Binary(64, 4))).Model.Layers[0];
        return (layer.Weights.ToArray().Select(w => (double)w).ToArray(), layer.Bias.Span[0]);
    }

    /// <summary>The gradient of the mean sigmoid cross-entropy at the initial weights, computed here in double.</summary>
    private static (double[] Kernel, double Bias) Gradient((double[] Kernel, double Bias) w)
    {
        var rows = SyntheticData.Binary(64, 4);
        var g = new double[4];
        double gb = 0;
        foreach (var row in rows)
        {
            double z = w.Bias + Enumerable.Range(0, 4).Sum(j => w.Kernel[j] * row.Features[j]);
            double error = 1 / (1 + Math.Exp(-z)) - (row.Label ? 1 : 0);
            for (int j = 0; j < 4; j++)
                g[j] += error * row.Features[j] / rows.Count;
            gb += error / rows.Count;
        }
        return (g, gb);
    }

    private static double Norm(double[] v) => Math.Sqrt(v.Sum(x => x * x));

    [TestMethod]
    public void ClipNorm_StepEqualsTheHandComputation_EachTensorClippedByItsOwnNorm()
    {
        const double c = 0.01;
        var initial = OneStep(null, null, learningRate: 0);
        var (g, gb) = Gradient(initial);
        Assert.IsGreaterThan(3 * c, Norm(g), "the kernel's gradient is clipped");
        Assert.IsGreaterThan(c, Math.Abs(gb), "the bias's gradient is clipped");

        var clipped = OneStep(c, null);

        // g·c/‖g‖ for the kernel and for the bias on their own: each moves by exactly lr·c
        for (int j = 0; j < 4; j++)
            Assert.AreEqual(initial.Kernel[j] - LearningRate * g[j] * c / Norm(g), clipped.Kernel[j], 1e-6, $"kernel {j}");
        Assert.AreEqual(initial.Bias - LearningRate * Math.Sign(gb) * c, clipped.Bias, 1e-6, "bias");
        double step = Norm(initial.Kernel.Zip(clipped.Kernel, (a, b) => a - b).ToArray());
        Assert.AreEqual(LearningRate * c, step, 1e-6, "the kernel's own norm is clipped, not a global one");
    }

    [TestMethod]
    public void ClipValue_StepEqualsTheHandComputation()
    {
        const double c = 0.15; // the gradient is (-0.387, -0.146, -0.123, -0.163) and 0.071 for the bias
        var initial = OneStep(null, null, learningRate: 0);
        var (g, gb) = Gradient(initial);
        Assert.IsTrue(g.Any(v => Math.Abs(v) > c) && g.Any(v => Math.Abs(v) < c), "some elements are clipped, some not: " + string.Join(", ", g));

        var clipped = OneStep(null, c);

        for (int j = 0; j < 4; j++)
            Assert.AreEqual(initial.Kernel[j] - LearningRate * Math.Clamp(g[j], -c, c), clipped.Kernel[j], 1e-6, $"kernel {j}");
        Assert.AreEqual(initial.Bias - LearningRate * Math.Clamp(gb, -c, c), clipped.Bias, 1e-6, "bias");
    }

    [TestMethod]
    public void ClipNorm_AboveEveryGradientsNorm_LeavesTheStepBitIdentical()
    {
        var plain = OneStep(null, null);
        var loose = OneStep(1e6, null);

        CollectionAssert.AreEqual(plain.Kernel, loose.Kernel);
        Assert.AreEqual(plain.Bias, loose.Bias);
    }

    [TestMethod]
    public void SgdAtLearningRate10_DivergesWithoutClipping_LearnsWithClipValueOrClipNorm()
    {
        // measured (seed 1, 200 regression rows, Dense 64, 10 epochs): unclipped, the loss is infinite in epoch 1;
        // clipvalue 1e-3 ends at 0.029 and clipnorm 1e-3 at 0.041 (the training mean's loss is about 0.7)
        var ml = new MLContext(1);
        var data = SyntheticData.RegressionView(ml, 200, 1);
        DenseNetworkTransformer Fit(double? clipNorm, double? clipValue) => ml.Regression.Trainers.DenseNetwork(new DenseNetworkOptions
        {
            Optimizer = OptimizerKind.Sgd, LearningRate = 10, Epochs = 10, Seed = 1, NumberOfThreads = 1, GradientClipNorm = clipNorm, GradientClipValue = clipValue,
        }).Fit(data);

        var plain = Fit(null, null);
        var byValue = Fit(null, 1e-3);
        var byNorm = Fit(1e-3, null);

        Assert.IsTrue(plain.History.Diverged, plain.History.StopReason);
        Assert.HasCount(1, plain.History);
        foreach (var clipped in new[] { byValue, byNorm })
        {
            Assert.IsFalse(clipped.History.Diverged, clipped.History.StopReason);
            Assert.HasCount(10, clipped.History);
            Assert.IsTrue(clipped.History.Losses.All(double.IsFinite));
            Assert.IsLessThan(0.1, clipped.History.Losses[^1]);
        }
    }

    [TestMethod]
    public void RmsPropAtLearningRate1e3_StillDivergesWithClipValue()
    {
        // RMSprop divides each gradient by its running root-mean-square, so a clipped gradient still steps by about
        // the learning rate (measured: epoch 1's loss 1.2e8 with clipvalue 1, 5.4e7 with 1e-3, 8.8e7 unclipped)
        var ml = new MLContext(1);
        var options = new DenseNetworkOptions { LearningRate = 1e3, Epochs = 5, Seed = 1, NumberOfThreads = 1, GradientClipValue = 1e-3 };

        var model = ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(SyntheticData.BinaryView(ml, 300, 1));

        Assert.IsTrue(model.History.Diverged, model.History.StopReason);
    }

    [TestMethod]
    public void InsideMlNetsCrossValidate_EachFoldTrainsClipped()
    {
        var ml = new MLContext(1);
        var pipeline = ml.Transforms.NormalizeMinMax("Features")
            .Append(ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions { Epochs = 15, Seed = 3, GradientClipValue = 0.1, LearningRate = 0.01 }));

        var folds = ml.BinaryClassification.CrossValidateNonCalibrated(SyntheticData.BinaryView(ml, 300, 1), pipeline, numberOfFolds: 3);

        foreach (var fold in folds)
        {
            var history = DenseNetworkModel.FromTransformer(fold.Model).History!;
            Assert.AreEqual(StopKind.Completed, history.Stop);
            Assert.AreEqual(3, history.Seed);
            Assert.IsGreaterThan(0.8, fold.Metrics.Accuracy);
        }
    }

    [TestMethod]
    public void Validate_InvalidOrBothLimits_AreListedInKerasTerms()
    {
        var o = new DenseNetworkOptions { GradientClipNorm = 0, GradientClipValue = double.NaN };

        var error = Assert.ThrowsExactly<ArgumentException>(() => o.Validate());

        StringAssert.Contains(error.Message, "Invalid value for GradientClipNorm: expected null or a finite number > 0. Received: GradientClipNorm=0.");
        StringAssert.Contains(error.Message, "Invalid value for GradientClipValue: expected null or a finite number > 0. Received: GradientClipValue=NaN.");
        var both = Assert.ThrowsExactly<ArgumentException>(() => new DenseNetworkOptions { GradientClipNorm = 1, GradientClipValue = 0.5 }.Validate());
        StringAssert.Contains(both.Message, "Invalid value for GradientClipValue: expected null when GradientClipNorm is set (clip by norm or by value, not both, as Keras). Received: GradientClipValue=0.5.");
        Assert.ThrowsExactly<ArgumentException>(() => new DenseNetworkOptions { GradientClipValue = double.PositiveInfinity }.Validate());
    }
}
