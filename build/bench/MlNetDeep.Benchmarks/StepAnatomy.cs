using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MlNetDeep.Native;
using MlNetDeep.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// Where the RMSprop step's time goes on the lecture model's 407,050 parameters, and what its memory traffic alone
/// costs (issue 13): each pass of <see cref="KerasRmsProp"/>'s step timed on its own over all parameters in the
/// trainer's blocks, beside a pass with the same unavoidable traffic (read g, v, w; write v, w: 5 × 1.63 MB per step)
/// and no square root or division — the step's bandwidth bound on this machine — and beside one pass with a managed
/// square root (Vector512.Sqrt, correctly rounded), and beside one pass in chunks of 256 to 8,192 elements with MKL's
/// square root called directly (<see cref="MklSquareRoot"/>, libtorch's bits: the trainer's step since then). Rounds interleaved; the thread's CPU time per step, median and
/// minimum. It also counts how many of libtorch's square roots (MKL's vector square root) differ from the correctly
/// rounded ones on the velocities of real steps, which decides whether a managed square root can keep the bits.
/// </summary>
internal static class StepAnatomy
{
    private const int Elements = 512 * 784 + 512 + 10 * 512 + 10;

    public static int Run(IReadOnlyList<string> arguments)
    {
        var list = arguments.ToList();
        int rounds = list.IndexOf("--rounds") is int r and >= 0 && r + 1 < list.Count ? int.Parse(list[r + 1], CultureInfo.InvariantCulture) : 9;
        const int StepsPerRound = 200;
        const int Block = KerasRmsProp.DefaultBlockElements;
        LibTorchRuntime.EnsureLoaded();
        torch.set_num_threads(1);
        LibTorchRuntime.TrySetFlushDenormal(true);
        using var generator = new Generator(1, CPU);
        using var scale = 0.01.ToScalar();
        using var w = rand(Elements, generator: generator);
        using var g = rand(Elements, generator: generator).mul_(scale);
        using var v = rand(Elements, generator: generator).mul_(scale);
        using var scratch = zeros(Block);
        const float Rho = 0.9f, OneMinusRho = 1 - 0.9f, Epsilon = 1e-7f, Rate = -1e-3f;
        Span<float> W() => MemoryMarshal.Cast<byte, float>(w.bytes);
        Span<float> G() => MemoryMarshal.Cast<byte, float>(g.bytes);
        Span<float> V() => MemoryMarshal.Cast<byte, float>(v.bytes);
        Span<float> D(int length) => MemoryMarshal.Cast<byte, float>(scratch.bytes)[..length];
        void ForBlocks(Action<int, int> pass)
        {
            for (int start = 0; start < Elements; start += Block)
                pass(start, Math.Min(Block, Elements - start));
        }
        void Root(int length)
        {
            if (length == Block)
            {
                scratch.sqrt_();
                return;
            }
            using var part = scratch.narrow(0, 0, length);
            part.sqrt_();
        }
        var passes = new (string Name, Action Step)[]
        {
            ("blocked: 1 velocity pass (v, v + eps)", () => ForBlocks((s, n) => FusedSteps.RmsPropVelocity(G().Slice(s, n), V().Slice(s, n), D(n), Rho, OneMinusRho, Epsilon))),
            ("blocked: 2 libtorch sqrt of blocks", () => ForBlocks((s, n) => Root(n))),
            ("blocked: 3 weight pass (w += s g / d)", () => ForBlocks((s, n) => FusedSteps.AddQuotient(W().Slice(s, n), G().Slice(s, n), D(n), Rate))),
            ("blocked step (1 + 2 + 3)", () => ForBlocks((s, n) =>
            {
                FusedSteps.RmsPropVelocity(G().Slice(s, n), V().Slice(s, n), D(n), Rho, OneMinusRho, Epsilon);
                Root(n);
                FusedSteps.AddQuotient(W().Slice(s, n), G().Slice(s, n), D(n), Rate);
            })),
            ("traffic only (no sqrt, no div)", () => TrafficOnly(G(), V(), W(), Rho, OneMinusRho, Rate)),
            ("one pass, managed sqrt", () => OnePass(G(), V(), W(), Rho, OneMinusRho, Epsilon, Rate)),
            ("one pass, MKL sqrt per 256", () => OnePassMkl(G(), V(), W(), Rho, OneMinusRho, Epsilon, Rate, 256)),
            ("one pass, MKL sqrt per 512", () => OnePassMkl(G(), V(), W(), Rho, OneMinusRho, Epsilon, Rate, 512)),
            ("one pass, MKL sqrt per 1024", () => OnePassMkl(G(), V(), W(), Rho, OneMinusRho, Epsilon, Rate, 1024)),
            ("one pass, MKL sqrt per 2048", () => OnePassMkl(G(), V(), W(), Rho, OneMinusRho, Epsilon, Rate, 2048)),
            ("one pass, MKL sqrt per 4096", () => OnePassMkl(G(), V(), W(), Rho, OneMinusRho, Epsilon, Rate, 4096)),
            ("one pass, MKL sqrt per 8192", () => OnePassMkl(G(), V(), W(), Rho, OneMinusRho, Epsilon, Rate, 8192)),
        };
        var cpu = passes.ToDictionary(p => p.Name, _ => new List<double>());
        for (int round = -1; round < rounds; round++)
        {
            foreach (var (name, step) in passes)
            {
                double start = EpochParts.ThreadCpuSeconds();
                for (int i = 0; i < StepsPerRound; i++)
                    step();
                if (round >= 0)
                    cpu[name].Add((EpochParts.ThreadCpuSeconds() - start) / StepsPerRound);
            }
        }
        static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
        double traffic = 5.0 * Elements * sizeof(float);
        foreach (var (name, times) in cpu)
            Console.WriteLine(FormattableString.Invariant($"step part {name,-32} CPU median {Median(times) * 1e6,7:F1} µs (min {times.Min() * 1e6,6:F1}) = {traffic / times.Min() / 1e9,5:F1} GB/s of the step's 5 streams; x375 batches = {Median(times) * 375,6:F4} s/epoch"));
        Console.WriteLine(FormattableString.Invariant($"step traffic {traffic / 1e6:F2} MB per step, {rounds} rounds of {StepsPerRound} steps, blocks of {Block}"));
        CompareSquareRoots(generator);
        return 0;
    }

    /// <summary>v ← ρv + (1−ρ)g², w ← w + s·g·v: the step's reads and writes with neither square root nor division.</summary>
    private static void TrafficOnly(Span<float> g, Span<float> v, Span<float> w, float rho, float c, float s)
    {
        ref float gr = ref MemoryMarshal.GetReference(g);
        ref float vr = ref MemoryMarshal.GetReference(v);
        ref float wr = ref MemoryMarshal.GetReference(w);
        int i = 0, n = g.Length;
        var rv = Vector512.Create(rho);
        var cv = Vector512.Create(c);
        var sv = Vector512.Create(s);
        for (; i <= n - 16; i += 16)
        {
            var gi = Vector512.LoadUnsafe(ref gr, (nuint)i);
            var vi = Vector512.LoadUnsafe(ref vr, (nuint)i) * rv + cv * gi * gi;
            vi.StoreUnsafe(ref vr, (nuint)i);
            (Vector512.LoadUnsafe(ref wr, (nuint)i) + sv * gi * vi).StoreUnsafe(ref wr, (nuint)i);
        }
        for (; i < n; i++)
        {
            float vi = Unsafe.Add(ref vr, i) * rho + c * Unsafe.Add(ref gr, i) * Unsafe.Add(ref gr, i);
            Unsafe.Add(ref vr, i) = vi;
            Unsafe.Add(ref wr, i) += s * Unsafe.Add(ref gr, i) * vi;
        }
    }

    /// <summary>The whole step in one pass with Vector512.Sqrt (correctly rounded) instead of libtorch's square root.</summary>
    private static void OnePass(Span<float> g, Span<float> v, Span<float> w, float rho, float c, float e, float s)
    {
        ref float gr = ref MemoryMarshal.GetReference(g);
        ref float vr = ref MemoryMarshal.GetReference(v);
        ref float wr = ref MemoryMarshal.GetReference(w);
        int i = 0, n = g.Length;
        var rv = Vector512.Create(rho);
        var cv = Vector512.Create(c);
        var ev = Vector512.Create(e);
        var sv = Vector512.Create(s);
        for (; i <= n - 16; i += 16)
        {
            var gi = Vector512.LoadUnsafe(ref gr, (nuint)i);
            var vi = Vector512.FusedMultiplyAdd(cv * gi, gi, Vector512.LoadUnsafe(ref vr, (nuint)i) * rv);
            vi.StoreUnsafe(ref vr, (nuint)i);
            (Vector512.LoadUnsafe(ref wr, (nuint)i) + sv * gi / Vector512.Sqrt(vi + ev)).StoreUnsafe(ref wr, (nuint)i);
        }
        for (; i < n; i++)
        {
            float gi = Unsafe.Add(ref gr, i);
            float vi = MathF.FusedMultiplyAdd(c * gi, gi, Unsafe.Add(ref vr, i) * rho);
            Unsafe.Add(ref vr, i) = vi;
            Unsafe.Add(ref wr, i) += s * gi / MathF.Sqrt(vi + e);
        }
    }

    [ThreadStatic]
    private static float[]? _chunk;

    /// <summary>The step in one pass of chunks: velocity, MKL's square root (libtorch's bits) and the weights while the chunk is in cache.</summary>
    private static void OnePassMkl(Span<float> g, Span<float> v, Span<float> w, float rho, float c, float e, float s, int Chunk)
    {
        var d = _chunk ??= GC.AllocateArray<float>(1 << 14, pinned: true);
        for (int start = 0; start < g.Length; start += Chunk)
        {
            int n = Math.Min(Chunk, g.Length - start);
            FusedSteps.RmsPropVelocity(g.Slice(start, n), v.Slice(start, n), d.AsSpan(0, n), rho, c, e);
            MklSquareRoot.Compute(d.AsSpan(0, n));
            FusedSteps.AddQuotient(w.Slice(start, n), g.Slice(start, n), d.AsSpan(0, n), s);
        }
    }

    /// <summary>
    /// libtorch's sqrt_ against the correctly rounded square root (Math.Sqrt in double, rounded once to float: exact for
    /// float inputs) on velocities + ε of the shape a step sees: v of 20 RMSprop-style updates of log-uniform squared
    /// gradients, plus a log-uniform sweep over 24 decades.
    /// </summary>
    private static void CompareSquareRoots(Generator generator)
    {
        using var scope = NewDisposeScope();
        using var decades = (24 * Math.Log(10)).ToScalar();
        using var lowest = (-18 * Math.Log(10)).ToScalar();
        using var one = 1.0.ToScalar();
        var sweep = rand(4_000_000, generator: generator).mul_(decades).add_(lowest, one).exp_();
        foreach (var (name, values) in new[] { ("log-uniform 1e-18..1e6", sweep) })
        {
            var input = values.data<float>().ToArray();
            var roots = values.clone().sqrt_().data<float>().ToArray();
            int differ = 0, maxUlps = 0;
            for (int i = 0; i < input.Length; i++)
            {
                float exact = (float)Math.Sqrt(input[i]);
                int ulps = Math.Abs(BitConverter.SingleToInt32Bits(exact) - BitConverter.SingleToInt32Bits(roots[i]));
                if (ulps != 0)
                    differ++;
                maxUlps = Math.Max(maxUlps, ulps);
            }
            var mkl = (float[])input.Clone();
            MklSquareRoot.Compute(mkl);
            int mklDiffer = mkl.Zip(roots).Count(t => BitConverter.SingleToInt32Bits(t.First) != BitConverter.SingleToInt32Bits(t.Second));
            Console.WriteLine(FormattableString.Invariant($"sqrt check {name}: vmsSqrt called directly differs from libtorch's sqrt_ in {mklDiffer} of {input.Length}"));
            Console.WriteLine(FormattableString.Invariant($"sqrt check {name}: {differ} of {input.Length} libtorch square roots differ from the correctly rounded ones ({100.0 * differ / input.Length:F3}%), at most {maxUlps} ulp"));
        }
    }
}
