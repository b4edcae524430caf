using Microsoft.ML;
using MlNetDeep.Training;
using MlNetDeep.Training.Managed;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetDeep.Trainers.Tests;

/// <summary>Keras' kernel initializers: the default keeps the first release's seeded bits; each one has its formula's spread.</summary>
[TestClass]
public sealed class KernelInitializerTests
{
    private const int FanIn = 400;
    private const int FanOut = 300;

    public TestContext TestContext { get; set; } = null!;

    private static float[] FirstKernel(KernelInitializer initializer, ulong seed)
    {
        using var generator = new Generator(seed, CPU);
        using var module = new DenseNetworkModule(FanIn, new[] { FanOut }, 1, Activation.Relu, 0, generator, initializer: initializer);
        Assert.IsTrue(module.Layers.All(l => l.bias!.data<float>().ToArray().All(b => b == 0)), "biases start at zero");
        return module.Layers[0].weight!.data<float>().ToArray();
    }

    /// <summary>(the kernel's standard deviation by Keras' formula, the largest |w|: the uniform limit or 2 × the normal's stddev parameter)</summary>
    private static (double Std, double Bound) Formula(KernelInitializer initializer) => initializer switch
    {
        KernelInitializer.GlorotUniform => (Math.Sqrt(2.0 / (FanIn + FanOut)), Math.Sqrt(6.0 / (FanIn + FanOut))),
        KernelInitializer.HeUniform => (Math.Sqrt(2.0 / FanIn), Math.Sqrt(6.0 / FanIn)),
        KernelInitializer.GlorotNormal => (Math.Sqrt(2.0 / (FanIn + FanOut)), 2 * Math.Sqrt(2.0 / (FanIn + FanOut)) / 0.87962566103423978),
        KernelInitializer.HeNormal => (Math.Sqrt(2.0 / FanIn), 2 * Math.Sqrt(2.0 / FanIn) / 0.87962566103423978),
        KernelInitializer.LeCunNormal => (Math.Sqrt(1.0 / FanIn), 2 * Math.Sqrt(1.0 / FanIn) / 0.87962566103423978),
        _ => throw new ArgumentOutOfRangeException(nameof(initializer)),
    };

    [TestMethod]
    public void EachInitializer_WeightSpread_MatchesKerasFormula()
    {
        foreach (var initializer in Enum.GetValues<KernelInitializer>())
        {
            var w = FirstKernel(initializer, 1);
            double mean = w.Average(v => (double)v);
            double std = Math.Sqrt(w.Average(v => (v - mean) * (v - mean)));
            double max = w.Max(v => Math.Abs((double)v));
            var (expectedStd, bound) = Formula(initializer);
            bool normal = initializer is KernelInitializer.GlorotNormal or KernelInitializer.HeNormal or KernelInitializer.LeCunNormal;
            // within one stddev parameter: 0.6827/0.9545 = 0.715 of a normal truncated at 2; a uniform of the same spread has 0.656
            double withinOne = w.Count(v => Math.Abs(v) < bound / 2) / (double)w.Length;

            TestContext.WriteLine($"{initializer}: std {std:G4} (formula {expectedStd:G4}, ratio {std / expectedStd:F4}), max |w| {max:G4} (bound {bound:G4}), within one stddev parameter {withinOne:F4}");
            Assert.AreEqual(0, mean, expectedStd * 0.02, $"{initializer} mean");
            Assert.AreEqual(expectedStd, std, expectedStd * 0.02, $"{initializer} std");
            Assert.IsLessThanOrEqualTo(bound * (1 + 1e-6), max, $"{initializer} never exceeds its bound");
            Assert.IsGreaterThan(bound * 0.99, max, $"{initializer} reaches close to its bound");
            if (normal)
                Assert.AreEqual(0.7152, withinOne, 0.01, $"{initializer} is a truncated normal");
        }
    }

    [TestMethod]
    public void EachInitializer_SameSeedSameKernel_OtherSeedDiffers()
    {
        foreach (var initializer in Enum.GetValues<KernelInitializer>())
        {
            CollectionAssert.AreEqual(FirstKernel(initializer, 5), FirstKernel(initializer, 5), $"{initializer}");
            CollectionAssert.AreNotEqual(FirstKernel(initializer, 5), FirstKernel(initializer, 6), $"{initializer}");
        }
    }

    [TestMethod]
    public void DefaultInitializer_SeededRun_BitIdenticalToTheFirstRelease()
    {
        // computed with commit e587cac (before kernel initializers and normalization existed): an FNV-1a hash of every
        // trained weight's bits, the first kernel weight and the last epoch's loss
        var ml = new MLContext(1);
        var data = SyntheticData.BinaryView(ml, 100, 1);
        foreach (var (optimizer, dropout, hash, first, loss) in new[]
        {
            (OptimizerKind.RmsProp, 0.0, 0x458FE5C9A8E4007AUL, 0x3D28B214, 0.7199951910972595),
            (OptimizerKind.Adam, 0.25, 0xAB9CBF126C9B2BC4UL, 0x3D3AFE58, 0.7113236808776855),
        })
        {
            var model = ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions
            {
                HiddenLayerSizes = new[] { 8, 4 }, Epochs = 2, Seed = 7, NumberOfThreads = 1, Optimizer = optimizer, DropoutRate = dropout,
                Engine = TrainingEngine.LibTorch, // the first release's bits are libtorch's
            }).Fit(data);

            ulong h = 14695981039346656037;
            foreach (var layer in model.Model.Layers)
            {
                foreach (var v in layer.Weights.ToArray().Concat(layer.Bias.ToArray()))
                {
                    h ^= (uint)BitConverter.SingleToInt32Bits(v);
                    h *= 1099511628211;
                }
            }

            Assert.AreEqual(first, BitConverter.SingleToInt32Bits(model.Model.Layers[0].Weights.Span[0]), $"{optimizer} first weight");
            Assert.AreEqual(loss, model.History[^1].Loss, $"{optimizer} last epoch's loss");
            Assert.AreEqual(hash, h, $"{optimizer} every weight");
        }
    }

    [TestMethod]
    public void Fit_EveryInitializer_Learns()
    {
        var ml = new MLContext(1);
        var train = SyntheticData.BinaryView(ml, 400, seed: 1);
        var test = SyntheticData.BinaryView(ml, 200, seed: 2);
        foreach (var initializer in Enum.GetValues<KernelInitializer>())
        {
            var model = ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions
            {
                HiddenLayerSizes = new[] { 32 }, KernelInitializer = initializer, Epochs = 15, LearningRate = 3e-3, Seed = 1, NumberOfThreads = 1,
            }).Fit(train);

            double accuracy = ml.BinaryClassification.Evaluate(model.Transform(test)).Accuracy;
            TestContext.WriteLine($"{initializer}: test accuracy {accuracy:F3}");
            Assert.IsGreaterThan(0.85, accuracy, $"{initializer}");
        }
    }
}
