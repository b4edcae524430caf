using MlNetDeep.Native;
using MlNetDeep.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetDeep.Trainers.Tests;

/// <summary>
/// The fused managed optimizer steps (<see cref="FusedSteps"/>) replaced sequences of in-place libtorch operations:
/// from the same weights, fed the same gradients, they must give the same bits after every step. Sizes cover every
/// split between the vector loop and the scalar tail (libtorch's kernels take two vectors per iteration, the managed
/// pass one), gradients span many magnitudes (with exact zeros, so v decays towards ε), and the rate changes.
/// </summary>
[TestClass]
public sealed class FusedStepTests
{
    private const int Steps = 25;
    private static readonly long[][] Shapes =
    {
        new long[] { 1 }, new long[] { 10 }, new long[] { 15 }, new long[] { 17 }, new long[] { 50 }, new long[] { 111 },
        new long[] { 512 }, new long[] { 10, 512 }, new long[] { 7, 33 }, new long[] { 96, 784 },
    };

    private static Parameter[] NewParameters(int seed)
    {
        using var generator = new Generator((ulong)seed, CPU);
        return Shapes.Select(s => new Parameter(rand(s, generator: generator).sub_(0.5.ToScalar()).DetachFromDisposeScope(), requires_grad: true)).ToArray();
    }

    private static int[] Bits(Tensor t) => t.detach().data<float>().ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();

    /// <summary>
    /// Sets each parameter's gradient to w³·r·m + s/10 with m log-uniform in [1e-6, 1e3] per element (r, s uniform in
    /// ±1 from a seeded generator; a tenth of the elements exactly 0): it depends on the weights, so a difference compounds.
    /// </summary>
    private static void SetGradients(Parameter[] parameters, int step)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)(1000 + step), CPU);
        using var half = 0.5.ToScalar();
        using var two = 2.0.ToScalar();
        using var decades = (9 * Math.Log(10)).ToScalar();
        using var lowest = (-6 * Math.Log(10)).ToScalar();
        using var one = 1.0.ToScalar();
        using var tenth = 0.1.ToScalar();
        foreach (var p in parameters)
        {
            var r = rand(p.shape, generator: generator).sub_(half).mul_(two);
            var s = rand(p.shape, generator: generator).sub_(half).mul_(two);
            var scale = rand(p.shape, generator: generator).mul_(decades).add_(lowest, one).exp_();
            var keep = rand(p.shape, generator: generator).ge_(tenth);
            var gradient = p.detach().mul(p).mul(p).mul(r).mul(scale).add_(s, tenth).mul_(keep);
            using var grad = p.grad;
            if (grad is null)
                p.grad = gradient.DetachFromDisposeScope();
            else
                grad.copy_(gradient);
        }
    }

    [TestMethod]
    [DataRow(KerasRmsProp.DefaultBlockElements, true)] // MKL's square root in chunks (the trainer's step where available)
    [DataRow(KerasRmsProp.DefaultBlockElements, false)] // libtorch's sqrt_ on blocks (the fallback)
    [DataRow(1000, false)] // blocks that split vectors and leave a short last block in most parameters
    public void KerasRmsProp_EveryStep_BitIdenticalToTheLibTorchOperations(int blockElements, bool directSquareRoot)
    {
        LibTorchRuntime.EnsureLoaded();
        int threads = get_num_threads();
        set_num_threads(1);
        var theirs = NewParameters(3);
        var ours = NewParameters(3);
        var initial = ours.Select(Bits).ToArray();
        double rate = 1e-3;
        using var reference = new LibTorchRmsProp(theirs, rate);
        using var fused = new KerasRmsProp(ours, rate, blockElements: blockElements, directSquareRoot: directSquareRoot);
        try
        {
            for (int step = 0; step < Steps; step++)
            {
                if (step is 8 or 16)
                {
                    rate *= step == 8 ? 0.1 : 300; // down, then far above the first rate
                    reference.SetLearningRate(rate);
                    fused.SetLearningRate(rate);
                }
                SetGradients(theirs, step);
                SetGradients(ours, step);
                reference.Step();
                fused.Step();
                for (int i = 0; i < theirs.Length; i++)
                    CollectionAssert.AreEqual(Bits(theirs[i]), Bits(ours[i]), $"parameter {i} (shape [{string.Join(", ", Shapes[i])}]) after step {step + 1}, blocks of {blockElements}, direct square root {directSquareRoot}");
            }
            for (int i = 0; i < ours.Length; i++)
            {
                int moved = Bits(ours[i]).Zip(initial[i]).Count(b => b.First != b.Second);
                Assert.IsGreaterThan(initial[i].Length * 8 / 10, moved, $"most weights of parameter {i} moved: the comparison saw real steps");
            }
        }
        finally
        {
            foreach (var p in theirs.Concat(ours))
                p.Dispose();
            set_num_threads(threads);
        }
    }

    [TestMethod]
    public void MklSquareRoot_OnLinuxX64_IsAvailable()
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64)
            Assert.Inconclusive("libtorch's MKL square root is checked on linux-x64, where the package ships it.");

        Assert.IsTrue(MklSquareRoot.IsAvailable, "libtorch-cpu-linux-x64 exports vmsSqrt with libtorch's bits; without it every RMSprop step falls back to the slower blocked path");
    }

    /// <summary>
    /// On values whose MKL square root is not the correctly rounded one (so the comparison can tell the two apart), the
    /// direct call gives libtorch's sqrt_ bits, whatever the length (vector tails included).
    /// </summary>
    [TestMethod]
    [DataRow(1)]
    [DataRow(15)]
    [DataRow(512)]
    [DataRow(100_003)]
    public void MklSquareRoot_Compute_BitIdenticalToLibTorchSqrt(int length)
    {
        if (!MklSquareRoot.IsAvailable)
            Assert.Inconclusive("MKL's square root is not available in this libtorch build.");
        var random = new Random(length);
        var values = Enumerable.Range(0, length).Select(_ => (float)Math.Exp(random.NextDouble() * 40 - 30)).ToArray();
        float[] theirs;
        using (var scope = NewDisposeScope())
            theirs = tensor(values).sqrt_().data<float>().ToArray();
        var ours = (float[])values.Clone();

        MklSquareRoot.Compute(ours);

        CollectionAssert.AreEqual(theirs.Select(BitConverter.SingleToInt32Bits).ToArray(), ours.Select(BitConverter.SingleToInt32Bits).ToArray());
        if (length >= 100_000)
        {
            int notCorrectlyRounded = values.Zip(theirs).Count(t => (float)Math.Sqrt(t.First) != t.Second);
            Assert.IsGreaterThan(100, notCorrectlyRounded, "MKL rounds some square roots differently from IEEE's correctly rounded one, which is why the step calls it");
        }
    }

    /// <summary>
    /// MKL is called with flush-to-zero off for its own work (VML_FTZDAZ_OFF, as libtorch calls it); the trainer's thread
    /// runs with flush-to-zero on, and it must still be on after the call, or every later operation on that thread would
    /// compute denormals again (slower, and other bits).
    /// </summary>
    [TestMethod]
    public void MklSquareRoot_Compute_LeavesTheThreadsFlushToZeroSetting()
    {
        if (!MklSquareRoot.IsAvailable)
            Assert.Inconclusive("MKL's square root is not available in this libtorch build.");
        var factors = new[] { 1e-30f, 1e-10f };
        float Product() => factors[0] * factors[1]; // 1e-40: a denormal, or 0 under flush-to-zero
        var values = new[] { 4f, 1e-20f, 2f };
        try
        {
            Assert.IsTrue(LibTorchRuntime.TrySetFlushDenormal(true), "libtorch's flush-denormal switch");
            Assert.AreEqual(0f, Product(), "flush-to-zero is on before the call");

            MklSquareRoot.Compute(values);

            Assert.AreEqual(0f, Product(), "flush-to-zero is still on after the call");
            Assert.AreEqual(2f, values[0]);
            LibTorchRuntime.TrySetFlushDenormal(false);
            MklSquareRoot.Compute(values);
            Assert.AreNotEqual(0f, Product(), "and off stays off");
        }
        finally
        {
            LibTorchRuntime.TrySetFlushDenormal(false);
        }
    }
}
