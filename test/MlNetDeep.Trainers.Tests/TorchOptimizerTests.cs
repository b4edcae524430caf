using MlNetDeep.Native;
using MlNetDeep.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetDeep.Trainers.Tests;

/// <summary>
/// TorchAdam and TorchSgd replaced TorchSharp's optim.Adam, AdamW and SGD (whose implicit Scalars another thread's GC
/// can free mid-call): from the same weights, fed the same gradients, both must produce the same bits after every
/// step, with and without weight decay, with momentum 0 and 0.9, across rate changes. (The TorchSharp side still
/// converts its Scalars implicitly: it is the reference, stepped inside a no-GC region so no collection can free them.)
/// </summary>
[TestClass]
public sealed class TorchOptimizerTests
{
    private const int Steps = 30;
    private static readonly long[][] Shapes = { new long[] { 8, 5 }, new long[] { 8 }, new long[] { 3, 8 }, new long[] { 3 } };

    public static IEnumerable<object[]> Cases => new[]
    {
        new object[] { "Adam", 0.0, 0.0 },
        new object[] { "Adam", 0.0, 0.01 },
        new object[] { "AdamW", 0.0, 0.004 },
        new object[] { "AdamW", 0.0, 0.0 },
        new object[] { "Sgd", 0.0, 0.0 },
        new object[] { "Sgd", 0.9, 0.0 },
        new object[] { "Sgd", 0.9, 0.001 },
        new object[] { "Sgd", 0.0, 0.001 },
    };

    private static Parameter[] NewParameters(int seed)
    {
        using var generator = new Generator((ulong)seed, CPU);
        return Shapes.Select(s => new Parameter(rand(s, generator: generator).DetachFromDisposeScope(), requires_grad: true)).ToArray();
    }

    private static int[] Bits(Parameter p) => p.detach().data<float>().ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();

    /// <summary>Gradients of Σ w³·r + Σ w·s for r, s drawn per step from a seeded generator: they depend on the weights, so any difference compounds.</summary>
    private static void Backward(Parameter[] parameters, int step)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)(1000 + step), CPU);
        Tensor? loss = null;
        foreach (var p in parameters)
        {
            using (var grad = p.grad)
                grad?.zero_();
            var r = rand(p.shape, generator: generator);
            var s = rand(p.shape, generator: generator);
            var term = Losses.Add(Losses.Square(p).mul(p).mul(r).sum(), p.mul(s).sum());
            loss = loss is null ? term : Losses.Add(loss, term);
        }
        loss!.backward();
    }

    private static (optim.Optimizer Torch, IStepOptimizer Ours) Create(string kind, double momentum, double weightDecay, Parameter[] torchParameters, Parameter[] ourParameters, double lr) => kind switch
    {
        "Adam" => (optim.Adam(torchParameters, lr, beta1: 0.9, beta2: 0.999, eps: 1e-7, weight_decay: weightDecay),
            new TorchAdam(ourParameters, lr, 0.9, 0.999, 1e-7, weightDecay, decoupled: false)),
        "AdamW" => (optim.AdamW(torchParameters, lr, beta1: 0.9, beta2: 0.999, eps: 1e-7, weight_decay: weightDecay),
            new TorchAdam(ourParameters, lr, 0.9, 0.999, 1e-7, weightDecay, decoupled: true)),
        "Sgd" => (optim.SGD(torchParameters, lr, momentum: momentum, weight_decay: weightDecay),
            new TorchSgd(ourParameters, lr, momentum, weightDecay)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void SameWeightsAndGradients_EveryStep_BitIdenticalToTorchSharp(string kind, double momentum, double weightDecay)
    {
        LibTorchRuntime.EnsureLoaded();
        var theirs = NewParameters(5);
        var ours = NewParameters(5);
        var initial = theirs.Select(Bits).ToArray();
        double lr = kind == "Sgd" ? 0.01 : 0.003;
        var (torchOptimizer, optimizer) = Create(kind, momentum, weightDecay, theirs, ours, lr);
        try
        {
            for (int step = 0; step < Steps; step++)
            {
                if (step is 10 or 20)
                {
                    lr *= step == 10 ? 0.3 : 7.0; // down, then above the first rate
                    foreach (var group in torchOptimizer.ParamGroups)
                        group.LearningRate = lr;
                    optimizer.SetLearningRate(lr);
                    Assert.AreEqual(lr, optimizer.LearningRate);
                }
                Backward(theirs, step);
                Backward(ours, step);
                Assert.IsTrue(GC.TryStartNoGCRegion(16 << 20), "no GC while TorchSharp's step runs");
                try
                {
                    torchOptimizer.step();
                }
                finally
                {
                    GC.EndNoGCRegion();
                }
                optimizer.Step();
                for (int i = 0; i < theirs.Length; i++)
                    CollectionAssert.AreEqual(Bits(theirs[i]), Bits(ours[i]), $"{kind} (momentum {momentum}, decay {weightDecay}): parameter {i} after step {step + 1}");
            }
            for (int i = 0; i < theirs.Length; i++)
            {
                int moved = Bits(ours[i]).Zip(initial[i]).Count(b => b.First != b.Second);
                Assert.AreEqual(initial[i].Length, moved, $"every weight of parameter {i} moved: the comparison saw real steps");
            }
        }
        finally
        {
            torchOptimizer.Dispose();
            optimizer.Dispose();
            foreach (var p in theirs.Concat(ours))
                p.Dispose();
        }
    }

    [TestMethod]
    public void SetLearningRate_ChangesTheNextStep()
    {
        LibTorchRuntime.EnsureLoaded();
        foreach (var kind in new[] { "Adam", "AdamW", "Sgd" })
        {
            var a = NewParameters(9);
            var b = NewParameters(9);
            using var oursA = Ours(kind, a, 0.01);
            using var oursB = Ours(kind, b, 0.01);
            oursB.SetLearningRate(0.02);
            Backward(a, 0);
            Backward(b, 0);
            oursA.Step();
            oursB.Step();
            Assert.IsFalse(Bits(a[0]).SequenceEqual(Bits(b[0])), $"{kind}: a doubled rate gives a different step");
            foreach (var p in a.Concat(b))
                p.Dispose();
        }
    }

    private static IStepOptimizer Ours(string kind, Parameter[] parameters, double lr) => kind == "Sgd"
        ? new TorchSgd(parameters, lr, 0.9, 0.004)
        : new TorchAdam(parameters, lr, 0.9, 0.999, 1e-7, 0.004, decoupled: kind == "AdamW");
}
