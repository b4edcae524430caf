using System.Diagnostics;
using System.Globalization;
using MlNetDeep.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// The exact-FLOP bound of one epoch of a dense network (issue 13): the matrix products a mini-batch step cannot avoid
/// — each layer's forward product, its kernel's gradient, and the gradient of its input except the first layer's (the
/// features need none) — each 2·m·n·k FLOPs, summed over the epoch's batches (the last one may be short), divided by
/// the GEMM throughput libtorch reaches on one thread for those same shapes on this machine. Bias adds, the
/// activation, the loss and the optimizer step are not counted: the bound is the time of the products alone.
/// <para>
/// Each product is timed into a buffer allocated once (<c>addmm_</c> with β = 0, so no allocation is timed), with the
/// operands laid out as libtorch's Linear and its backward lay them out (the kernel is [out, in] and used transposed).
/// Prints "gemm ..." lines compare.sh reads: one per product, then the step's total.
/// </para>
/// </summary>
internal static class FlopBound
{
    /// <summary>One matrix product of a training step: [m, k] · [k, n].</summary>
    private sealed record Product(string Name, int M, int K, int N, Func<Tensor, Tensor, Tensor, Tensor> Run);

    public static int Run(IReadOnlyList<string> arguments)
    {
        var list = arguments.ToList();
        int Option(string name, int fallback) => list.IndexOf(name) is int i and >= 0 && i + 1 < list.Count ? int.Parse(list[i + 1], CultureInfo.InvariantCulture) : fallback;
        int batch = Option("--batch", 128), rows = Option("--rows", 48000), repeats = Option("--repeats", 200);
        int[] sizes = (list.IndexOf("--sizes") is int s and >= 0 && s + 1 < list.Count ? list[s + 1] : "784,512,10")
            .Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Bound(sizes, rows, batch, repeats, print: true);
        return 0;
    }

    /// <summary>
    /// The epoch's bound in seconds: its GEMM FLOPs over the one-thread throughput measured now on the step's products
    /// (best of <paramref name="repeats"/> each); with <paramref name="print"/>, the "gemm ..." lines.
    /// </summary>
    public static double Bound(IReadOnlyList<int> sizes, int rows, int batch, int repeats, bool print)
    {
        LibTorchRuntime.EnsureLoaded();
        int previousThreads = torch.get_num_threads();
        torch.set_num_threads(1);
        LibTorchRuntime.TrySetFlushDenormal(true);

        double stepSeconds = 0, stepFlops = 0;
        for (int layer = 0; layer + 1 < sizes.Count; layer++)
        {
            int inputs = sizes[layer], outputs = sizes[layer + 1];
            foreach (var (name, m, k, n, flops, seconds) in TimeLayer(layer, batch, inputs, outputs, repeats))
            {
                if (print)
                    Console.WriteLine(FormattableString.Invariant($"gemm {name} [{m}x{k}]*[{k}x{n}] flops={flops:F0} seconds={seconds:E4} gflops={flops / seconds / 1e9:F1}"));
                stepFlops += flops;
                stepSeconds += seconds;
            }
        }
        double epochFlops = EpochFlops(sizes, rows, batch);
        double throughput = stepFlops / stepSeconds;
        if (print)
        {
            Console.WriteLine(FormattableString.Invariant(
                $"gemm step flops={stepFlops:F0} seconds={stepSeconds:E4} gflops={throughput / 1e9:F1} epoch_flops={epochFlops:F0} rows={rows} bound_seconds={epochFlops / throughput:F4}"));
        }
        LibTorchRuntime.TrySetFlushDenormal(false);
        torch.set_num_threads(previousThreads);
        return epochFlops / throughput;
    }

    /// <summary>The GEMM FLOPs of one epoch over <paramref name="rows"/> rows in batches of <paramref name="batch"/> (the last batch holds the rest).</summary>
    public static double EpochFlops(IReadOnlyList<int> sizes, int rows, int batch)
    {
        double perRow = 0;
        for (int layer = 0; layer + 1 < sizes.Count; layer++)
            perRow += 2.0 * sizes[layer] * sizes[layer + 1] * (layer == 0 ? 2 : 3); // forward, kernel gradient (+ input gradient past the first layer)
        return perRow * rows; // every product is linear in the batch's rows, so a short last batch costs its share
    }

    /// <summary>The best time of each product of one layer's step over <paramref name="repeats"/> runs, after a warm-up.</summary>
    private static IEnumerable<(string Name, int M, int K, int N, double Flops, double Seconds)> TimeLayer(int layer, int batch, int inputs, int outputs, int repeats)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(1, CPU);
        var x = rand(new long[] { batch, inputs }, generator: generator);          // the layer's input
        var weight = rand(new long[] { outputs, inputs }, generator: generator);   // [out, in], as nn.Linear holds it
        var gradOutput = rand(new long[] { batch, outputs }, generator: generator); // ∂loss/∂(layer output)
        var products = new List<(string, int, int, int, Tensor, Tensor, Tensor)>
        {
            ($"layer{layer}.forward", batch, inputs, outputs, empty(batch, outputs), x, weight.t()),              // x · Wᵀ
            ($"layer{layer}.kernel_grad", outputs, batch, inputs, empty(outputs, inputs), gradOutput.t(), x),     // gᵀ · x
        };
        if (layer > 0)
            products.Add(($"layer{layer}.input_grad", batch, outputs, inputs, empty(batch, inputs), gradOutput, weight)); // g · W
        foreach (var (name, m, k, n, output, a, b) in products)
        {
            for (int i = 0; i < 20; i++)
                output.addmm_(a, b, beta: 0, alpha: 1);
            double best = double.PositiveInfinity;
            for (int i = 0; i < repeats; i++)
            {
                long start = Stopwatch.GetTimestamp();
                output.addmm_(a, b, beta: 0, alpha: 1);
                best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
            yield return (name, m, k, n, 2.0 * m * k * n, best);
        }
    }
}
