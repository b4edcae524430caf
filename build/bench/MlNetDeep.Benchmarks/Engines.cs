using System.Globalization;
using Microsoft.ML;
using MlNetDeep.Training.Managed;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// The lecture's Fit (784 → 512 → 10, RMSprop, batch 128, one thread, seed 1) on each training engine — libtorch and
/// the managed engine with MKL's GEMM products — in alternating order round by round, against the exact-FLOP bound
/// measured at the start of every round (<see cref="FlopBound"/>). Per engine: the fastest and median epoch after each
/// Fit's first, in wall time and in the Fit thread's CPU time (less distorted by other processes), over the median
/// bound, and each engine's epoch losses (the same seed: they must agree to float tolerance). With <c>--drift</c>, one
/// more Fit on the managed engine's row-at-a-time form (the same loss, bias sums and optimizer; only the products sum
/// in another order) shows how far two summation orders alone drift apart over the run: the scale against which the
/// engines' loss difference is read.
/// </summary>
internal static class Engines
{
    public static void Run(MLContext ml, IDataView view, int rows, int epochs, int rounds, bool drift)
    {
        var engines = new[] { TrainingEngine.LibTorch, TrainingEngine.ManagedGemm };
        var wall = engines.ToDictionary(e => e, _ => new List<double>());
        var cpu = engines.ToDictionary(e => e, _ => new List<double>());
        var losses = engines.ToDictionary(e => e, _ => Array.Empty<double>());
        var bounds = new List<double>();
        foreach (var engine in engines)
            Fit(ml, ml.Data.TakeRows(view, 4096), engine, 1, out _); // warm-up: JIT, libtorch's pools
        for (int round = 0; round < rounds; round++)
        {
            bounds.Add(FlopBound.Bound(new[] { 784, 512, 10 }, rows, 128, 200, print: false));
            foreach (var engine in round % 2 == 0 ? engines : engines.Reverse())
            {
                var model = Fit(ml, view, engine, epochs, out var clock);
                foreach (var e in model.History.Skip(1))
                    wall[engine].Add(e.Duration.TotalSeconds);
                cpu[engine].AddRange(clock.Seconds.Skip(1));
                losses[engine] = model.History.Select(e => e.Loss).ToArray();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round + 1} {engine,-12} wall {string.Join(" ", model.History.Select(e => e.Duration.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture)))}  cpu {string.Join(" ", clock.Seconds.Select(s => s.ToString("F3", CultureInfo.InvariantCulture)))}  bound {bounds[^1]:F3}"));
            }
        }
        double bound = Median(bounds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bound: median {bound:F3} s (min {bounds.Min():F3}, max {bounds.Max():F3}) over {bounds.Count} rounds"));
        foreach (var engine in engines)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{engine,-12} wall min {wall[engine].Min():F3} median {Median(wall[engine]):F3} ({wall[engine].Min() / bound:F2}x / {Median(wall[engine]) / bound:F2}x the bound)  "
                + $"thread cpu min {cpu[engine].Min():F3} median {Median(cpu[engine]):F3} ({cpu[engine].Min() / bound:F2}x / {Median(cpu[engine]) / bound:F2}x)  n={wall[engine].Count}"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"managed / libtorch: wall medians {Median(wall[TrainingEngine.ManagedGemm]) / Median(wall[TrainingEngine.LibTorch]):F3}, thread cpu medians {Median(cpu[TrainingEngine.ManagedGemm]) / Median(cpu[TrainingEngine.LibTorch]):F3}"));
        var rowForm = drift ? Fit(ml, view, TrainingEngine.ManagedRows, epochs, out _).History.Select(e => e.Loss).ToArray() : null;
        for (int e = 0; e < epochs; e++)
        {
            double a = losses[TrainingEngine.LibTorch][e], b = losses[TrainingEngine.ManagedGemm][e];
            string reference = rowForm is null ? "" : string.Create(CultureInfo.InvariantCulture,
                $"; managed row at a time {rowForm[e]:R}, relative to GEMM {Math.Abs(b - rowForm[e]) / Math.Abs(b):E2}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"epoch {e + 1} loss libtorch {a:R} managed {b:R} relative difference {Math.Abs(a - b) / Math.Abs(a):E2}{reference}"));
        }
    }

    private static DenseNetworkTransformer Fit(MLContext ml, IDataView view, TrainingEngine engine, int epochs, out ThreadClock clock)
    {
        clock = new ThreadClock();
        var options = new DenseNetworkOptions
        {
            HiddenLayerSizes = new[] { 512 }, BatchSize = 128, Epochs = epochs, Seed = 1, Optimizer = OptimizerKind.RmsProp, NumberOfThreads = 1, Engine = engine,
        };
        options.Callbacks.Add(clock);
        return ml.MulticlassClassification.Trainers.DenseNetwork(options).Fit(view);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted[sorted.Length / 2];
    }

    /// <summary>The Fit thread's CPU seconds per epoch (from the epoch's start to its end).</summary>
    private sealed class ThreadClock : IEpochCallback, MlNetDeep.Training.ITrainingCallback
    {
        private double _start;

        public List<double> Seconds { get; } = new();

        public double OnEpochBegin(int epoch, double learningRate)
        {
            _start = EpochParts.ThreadCpuSeconds();
            return learningRate;
        }

        public void OnEpochEnd(EpochEndContext context) => Seconds.Add(EpochParts.ThreadCpuSeconds() - _start);
    }
}
