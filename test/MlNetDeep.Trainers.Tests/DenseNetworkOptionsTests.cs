using MlNetDeep.Native;

namespace MlNetDeep.Trainers.Tests;

[TestClass]
public sealed class DenseNetworkOptionsTests
{
    [TestMethod]
    public void Defaults_EqualTheirDocumentation()
    {
        var o = new DenseNetworkOptions();

        Assert.AreEqual("Label", o.LabelColumnName);
        Assert.AreEqual("Features", o.FeatureColumnName);
        Assert.IsNull(o.ExampleWeightColumnName);
        CollectionAssert.AreEqual(new[] { 64 }, o.HiddenLayerSizes);
        Assert.AreEqual(Activation.Relu, o.Activation);
        Assert.AreEqual(NormalizationKind.None, o.Normalization);
        Assert.AreEqual(KernelInitializer.GlorotUniform, o.KernelInitializer);
        Assert.AreEqual(FeatureLayout.Auto, o.FeatureLayout);
        Assert.AreEqual(0.0, o.DropoutRate);
        Assert.AreEqual(0.0, o.L1Regularization);
        Assert.AreEqual(0.0, o.L2Regularization);
        Assert.AreEqual(OptimizerKind.RmsProp, o.Optimizer);
        Assert.AreEqual(0.001, o.LearningRate);
        Assert.AreEqual(0.0, o.Momentum);
        Assert.IsNull(o.GradientClipNorm);
        Assert.IsNull(o.GradientClipValue);
        Assert.AreEqual(0.004, o.WeightDecay);
        Assert.AreEqual(RegressionLoss.MeanSquaredError, o.RegressionLoss);
        Assert.AreEqual(32, o.BatchSize);
        Assert.AreEqual(10, o.Epochs);
        Assert.IsTrue(o.Shuffle);
        Assert.AreEqual(StreamingMode.Auto, o.Streaming);
        Assert.AreEqual(10_000, o.ShuffleBufferSize);
        Assert.AreEqual(0.0, o.ValidationFraction);
        Assert.IsNull(o.ValidationData);
        Assert.IsNull(o.EarlyStopping);
        Assert.IsNull(o.Seed);
        Assert.IsNull(o.NumberOfThreads);
        Assert.IsNull(o.Progress);
        Assert.AreEqual(CancellationToken.None, o.CancellationToken);

        var es = new EarlyStoppingOptions();
        Assert.AreEqual("val_loss", es.Monitor);
        Assert.AreEqual(0, es.Patience);
        Assert.AreEqual(0.0, es.MinDelta);
        Assert.IsFalse(es.RestoreBestWeights);
    }

    [TestMethod]
    public void FlatOverload_UsesTheSameDefaults()
    {
        var ml = new Microsoft.ML.MLContext(1);

        var flat = ml.BinaryClassification.Trainers.DenseNetwork().Options;

        var o = new DenseNetworkOptions();
        Assert.AreEqual(o.Epochs, flat.Epochs);
        Assert.AreEqual(o.BatchSize, flat.BatchSize);
        Assert.AreEqual(o.LearningRate, flat.LearningRate);
        CollectionAssert.AreEqual(o.HiddenLayerSizes, flat.HiddenLayerSizes);
    }

    [TestMethod]
    public void Validate_EveryInvalidOption_ListedInOneException()
    {
        var o = new DenseNetworkOptions
        {
            HiddenLayerSizes = Array.Empty<int>().Append(0).ToArray(),
            DropoutRate = 1,
            LearningRate = -0.1,
            BatchSize = 0,
            Epochs = -1,
            L2Regularization = double.NaN,
            EarlyStopping = new EarlyStoppingOptions { Patience = -1 },
        };

        var error = Assert.ThrowsExactly<ArgumentException>(() => new Microsoft.ML.MLContext().BinaryClassification.Trainers.DenseNetwork(o));

        Assert.AreEqual(string.Join("\n",
            "Invalid DenseNetworkOptions: 8 problem(s).",
            "Invalid value for HiddenLayerSizes: expected every layer size > 0. Received: HiddenLayerSizes='[0]'.",
            "Invalid value for DropoutRate: expected a number in [0, 1). Received: DropoutRate=1.",
            "Invalid value for L2Regularization: expected a finite number >= 0. Received: L2Regularization=NaN.",
            "Invalid value for LearningRate: expected a finite number >= 0. Received: LearningRate=-0.1.",
            "Invalid value for BatchSize: expected an integer > 0. Received: BatchSize=0.",
            "Invalid value for Epochs: expected an integer > 0. Received: Epochs=-1.",
            "Invalid value for EarlyStopping.Monitor: expected a training metric (\"loss\", \"accuracy\") when there is no validation data (set ValidationFraction or ValidationData). Received: EarlyStopping.Monitor='val_loss'.",
            "Invalid value for EarlyStopping.Patience: expected an integer >= 0. Received: EarlyStopping.Patience=-1.") + " (Parameter 'options')", error.Message);
    }

    [TestMethod]
    public void Validate_UnknownNormalizationOrKernelInitializer_NamesTheValidValues()
    {
        var o = new DenseNetworkOptions { Normalization = (NormalizationKind)7, KernelInitializer = (KernelInitializer)(-1) };

        var error = Assert.ThrowsExactly<ArgumentException>(() => new Microsoft.ML.MLContext().MulticlassClassification.Trainers.DenseNetwork(o));

        Assert.AreEqual(string.Join("\n",
            "Invalid DenseNetworkOptions: 2 problem(s).",
            "Invalid value for Normalization: expected one of None, BatchNormalization, LayerNormalization. Received: Normalization=7.",
            "Invalid value for KernelInitializer: expected one of GlorotUniform, GlorotNormal, HeUniform, HeNormal, LeCunNormal. Received: KernelInitializer=-1.") + " (Parameter 'options')", error.Message);
    }

    [TestMethod]
    public void Validate_UnknownFeatureLayout_NamesTheValidValues()
    {
        var o = new DenseNetworkOptions { FeatureLayout = (FeatureLayout)3 };

        var error = Assert.ThrowsExactly<ArgumentException>(() => new Microsoft.ML.MLContext().BinaryClassification.Trainers.DenseNetwork(o));

        Assert.AreEqual(string.Join("\n",
            "Invalid DenseNetworkOptions: 1 problem(s).",
            "Invalid value for FeatureLayout: expected one of Auto, Dense, Sparse. Received: FeatureLayout=3.") + " (Parameter 'options')", error.Message);
    }

    [TestMethod]
    public void Trainer_CopiesOptions_LaterChangesDoNotLeakIn()
    {
        var o = new DenseNetworkOptions { Epochs = 3 };
        var trainer = new Microsoft.ML.MLContext().Regression.Trainers.DenseNetwork(o);

        o.Epochs = 99;
        o.HiddenLayerSizes![0] = 1;

        Assert.AreEqual(3, trainer.Options.Epochs);
        CollectionAssert.AreEqual(new[] { 64 }, trainer.Options.HiddenLayerSizes);
    }

    [TestMethod]
    public void Regression_AccuracyMonitor_IsRejected()
    {
        var o = new DenseNetworkOptions { ValidationFraction = 0.2, EarlyStopping = new EarlyStoppingOptions { Monitor = "val_accuracy" } };

        var error = Assert.ThrowsExactly<ArgumentException>(() => new Microsoft.ML.MLContext().Regression.Trainers.DenseNetwork(o));

        StringAssert.Contains(error.Message, "Invalid value for EarlyStopping.Monitor: expected \"loss\" or \"val_loss\" for regression (there is no accuracy). Received: EarlyStopping.Monitor='val_accuracy'.");
    }

    [TestMethod]
    public void LibTorchLoadFailure_MessageNamesCauseAndFix()
    {
        var missingSymbol = new DllNotFoundException("/x/libLibTorchSharp.so: /lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found");
        var missingRuntime = new DllNotFoundException("Unable to load shared library 'LibTorchSharp'");

        var glibcxx = LibTorchRuntime.Explain(new TypeInitializationException("TorchSharp.torch", missingSymbol));
        var runtime = LibTorchRuntime.Explain(missingRuntime);

        StringAssert.Contains(glibcxx, "needs GLIBCXX_3.4.32 (GCC 13 or newer)");
        StringAssert.Contains(glibcxx, "build/setup.sh");
        StringAssert.Contains(glibcxx, "apt-get install -t trixie libstdc++6");
        StringAssert.Contains(runtime, "libtorch-cpu-linux-x64");
        StringAssert.Contains(runtime, "Native error: Unable to load shared library 'LibTorchSharp'");
    }
}
