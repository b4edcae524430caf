using System.Globalization;
using MlNetDeep.Native;
using MlNetDeep.Trainers.Tests;
using MlNetDeep.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// One RMSprop step on the lecture model's parameters ([512, 784], [512], [10, 512], [10]), one libtorch thread:
/// the trainer's step (<see cref="KerasRmsProp"/>: managed passes around MKL's square root in L1-sized chunks) and the
/// same passes around libtorch's sqrt_ on blocks of <c>--block N</c> elements (the step before), against the six
/// in-place libtorch operations per parameter it replaced, interleaved round by round. Prints the median and minimum
/// of the thread's CPU time and of wall time per step, and the ratio of medians.
/// </summary>
internal static class OptimizerSteps
{
    public static int Run(IReadOnlyList<string> arguments)
    {
        var list = arguments.ToList();
        int rounds = list.IndexOf("--rounds") is int r and >= 0 && r + 1 < list.Count ? int.Parse(list[r + 1], CultureInfo.InvariantCulture) : 7;
        int block = list.IndexOf("--block") is int k and >= 0 && k + 1 < list.Count ? int.Parse(list[k + 1], CultureInfo.InvariantCulture) : KerasRmsProp.DefaultBlockElements;
        const int StepsPerRound = 200;
        LibTorchRuntime.EnsureLoaded();
        torch.set_num_threads(1);
        LibTorchRuntime.TrySetFlushDenormal(true);
        long[][] shapes = { new long[] { 512, 784 }, new long[] { 512 }, new long[] { 10, 512 }, new long[] { 10 } };
        Parameter[] Parameters()
        {
            using var generator = new Generator(1, CPU);
            using var scale = 0.01.ToScalar();
            var ps = shapes.Select(s => new Parameter(rand(s, generator: generator).DetachFromDisposeScope(), requires_grad: true)).ToArray();
            foreach (var p in ps)
                p.grad = rand(p.shape, generator: generator).mul_(scale).DetachFromDisposeScope();
            return ps;
        }
        var theirs = Parameters();
        var ours = Parameters();
        var blocked = Parameters();
        using var reference = new LibTorchRmsProp(theirs, 1e-3);
        using var fused = new KerasRmsProp(ours, 1e-3, blockElements: block);
        using var fusedBlocks = new KerasRmsProp(blocked, 1e-3, blockElements: block, directSquareRoot: false);
        var samples = new Dictionary<string, (List<double> Cpu, List<double> Wall)> { ["libtorch ops"] = (new(), new()), ["fused"] = (new(), new()), ["fused, blocks"] = (new(), new()) };
        for (int round = -1; round < rounds; round++) // round -1 warms up
        {
            foreach (var (name, step) in new (string, Action)[] { ("libtorch ops", reference.Step), ("fused", fused.Step), ("fused, blocks", fusedBlocks.Step) })
            {
                double cpu = EpochParts.ThreadCpuSeconds();
                var clock = System.Diagnostics.Stopwatch.StartNew();
                for (int i = 0; i < StepsPerRound; i++)
                    step();
                if (round < 0)
                    continue;
                samples[name].Wall.Add(clock.Elapsed.TotalSeconds / StepsPerRound);
                samples[name].Cpu.Add((EpochParts.ThreadCpuSeconds() - cpu) / StepsPerRound);
            }
        }
        static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
        foreach (var (name, (cpu, wall)) in samples)
            Console.WriteLine(FormattableString.Invariant($"rmsprop step {name,-14} CPU median {Median(cpu) * 1e6,7:F1} µs (min {cpu.Min() * 1e6,6:F1}), wall median {Median(wall) * 1e6,7:F1} µs (min {wall.Min() * 1e6,6:F1}), {rounds} rounds of {StepsPerRound} steps, blocks of {block}"));
        Console.WriteLine(FormattableString.Invariant($"rmsprop step fused / libtorch ops: CPU {Median(samples["fused"].Cpu) / Median(samples["libtorch ops"].Cpu):F3}, wall {Median(samples["fused"].Wall) / Median(samples["libtorch ops"].Wall):F3} (MKL square root called directly: {MklSquareRoot.IsAvailable})"));
        Console.WriteLine(FormattableString.Invariant($"rmsprop step fused / fused in blocks with libtorch's sqrt_: CPU {Median(samples["fused"].Cpu) / Median(samples["fused, blocks"].Cpu):F3}, wall {Median(samples["fused"].Wall) / Median(samples["fused, blocks"].Wall):F3}"));
        foreach (var p in theirs.Concat(ours).Concat(blocked))
            p.Dispose();
        return 0;
    }
}
