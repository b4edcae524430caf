using System.Globalization;
using MlNetDeep.Native;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// The lecture model's first-layer products through <see cref="MklGemm"/> on one thread, best and median of N calls
/// each (thread CPU time), in the layouts the managed engine uses and in their transposed alternatives, to see whether
/// another layout runs MKL's kernels faster.
/// </summary>
internal static class GemmLayouts
{
    public static int Run(IReadOnlyList<string> arguments)
    {
        const int batch = 128, inputs = 784, width = 512;
        var random = new Random(1);
        float[] Values(int n) => Enumerable.Range(0, n).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var (x, w, dz) = (Values(batch * inputs), Values(width * inputs), Values(batch * width));
        var z = new float[batch * width];
        var dw = new float[width * inputs];
        int previous = MklGemm.SetThreadsLocal(1);
        var cases = new (string Name, Action Run)[]
        {
            ("forward z = x·Wᵀ [128x512] (used)", () => MklGemm.Multiply(false, true, batch, width, inputs, 1f, x, inputs, w, inputs, 1f, z, width)),
            ("forward zᵀ = W·xᵀ [512x128]", () => MklGemm.Multiply(false, true, width, batch, inputs, 1f, w, inputs, x, inputs, 1f, z, batch)),
            ("forward, beta 0", () => MklGemm.Multiply(false, true, batch, width, inputs, 1f, x, inputs, w, inputs, 0f, z, width)),
            ("kernel gradient dW = dzᵀ·x [512x784] (used)", () => MklGemm.Multiply(true, false, width, inputs, batch, 1f, dz, width, x, inputs, 0f, dw, inputs)),
            ("kernel gradient dW = dz(stored ᵀ)·x [512x784]", () => MklGemm.Multiply(false, false, width, inputs, batch, 1f, dz, batch, x, inputs, 0f, dw, inputs)),
            ("kernel gradient dWᵀ = xᵀ·dz [784x512]", () => MklGemm.Multiply(true, false, inputs, width, batch, 1f, x, inputs, dz, width, 0f, dw, width)),
        };
        int calls = arguments.ToList().IndexOf("--calls") is int i and >= 0 ? int.Parse(arguments[i + 1], CultureInfo.InvariantCulture) : 200;
        foreach (var (name, run) in cases)
        {
            run();
            var times = new double[calls];
            for (int c = 0; c < calls; c++)
            {
                double start = EpochParts.ThreadCpuSeconds();
                run();
                times[c] = EpochParts.ThreadCpuSeconds() - start;
            }
            Array.Sort(times);
            double flops = 2.0 * batch * inputs * width;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-46} best {times[0] * 1e6,7:F1} us ({flops / times[0] / 1e9,5:F1} GFLOP/s)  median {times[calls / 2] * 1e6,7:F1} us"));
        }
        MklGemm.SetThreadsLocal(previous);
        return 0;
    }
}
