using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MlNetDeep.Native;
using MlNetDeep.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// Where an epoch of the lecture's model goes (issue 13): the steps of <c>TrainingRun.TrainEpoch</c> made with the
/// trainer's own pieces (TensorSet batches, DenseNetworkModule, Losses, the configured optimizer), one libtorch
/// thread, each step timed on its own. With one thread libtorch runs every kernel on the calling thread, so the
/// split is exact. The parts are the thread's CPU time (clock_gettime's CLOCK_THREAD_CPUTIME_ID), which other
/// processes on a shared machine distort far less than wall time; the wall time of the epoch is printed beside.
/// </summary>
internal static class EpochParts
{
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec value);

    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>The calling thread's CPU time in seconds.</summary>
    public static double ThreadCpuSeconds()
    {
        const int ThreadCpuTimeClock = 3; // CLOCK_THREAD_CPUTIME_ID
        ClockGetTime(ThreadCpuTimeClock, out var t);
        return t.Seconds + t.Nanoseconds * 1e-9;
    }

    private static readonly string[] Names = { "gather batch", "zero_grad", "forward + loss", "backward", "optimizer step", "loss.item()", "count correct", "scope dispose" };

    /// <summary>
    /// Times <paramref name="epochs"/> epochs. With <paramref name="compareBlockedStep"/> (RMSprop only) a second model,
    /// initialized and shuffled identically, is trained with the step as it was before MKL's square root was called
    /// directly (libtorch's sqrt_ on 64K-element blocks), its epochs interleaved with the trainer's; the minimum and median
    /// of each part over the epochs after the first are printed per variant.
    /// </summary>
    public static void Run(IDataView view, int epochs, OptimizerKind optimizer, bool compareBlockedStep = false)
    {
        LibTorchRuntime.EnsureLoaded();
        torch.set_num_threads(1);
        LibTorchRuntime.TrySetFlushDenormal(true);
        var set = TrainingSet.Read(view, NetworkTask.Multiclass, "Features", "Label", null, null, CancellationToken.None);
        using var tensors = new TensorSet(set, NetworkTask.Multiclass);
        var variants = new List<(string Name, Generator Generator, DenseNetworkModule Module, IStepOptimizer Step)>();
        void Add(string name, Func<DenseNetworkModule, IStepOptimizer> optimizerOf)
        {
            var generator = new Generator(1, CPU);
            var module = new DenseNetworkModule(set.Dimension, new[] { 512 }, 10, Activation.Relu, 0, generator);
            variants.Add((name, generator, module, optimizerOf(module)));
        }
        var options = new DenseNetworkOptions { Optimizer = optimizer };
        Add("trainer", m => new OptimizerStep(new Optimizers(options, m.parameters())));
        if (compareBlockedStep && optimizer == OptimizerKind.RmsProp)
            Add("blocked step", m => new KerasRmsProp(m.parameters(), options.LearningRate, directSquareRoot: false));
        Console.WriteLine($"epoch parts: {set.Rows} rows, {optimizer}, batch 128, 1 thread (thread CPU seconds per epoch; MKL square root called directly: {MklSquareRoot.IsAvailable})");
        Console.WriteLine("epoch " + string.Join("", Names.Select(n => $"{n,16}")) + $"{"CPU total",10}{"wall",8}");
        var results = variants.ToDictionary(v => v.Name, _ => new List<double[]>());
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            foreach (var (name, generator, module, step) in variants)
            {
                var seconds = Epoch(tensors, set.Rows, module, step, generator, out double wall, out string metrics);
                if (epoch > 1)
                    results[name].Add(seconds.Append(seconds.Sum()).ToArray());
                Console.WriteLine(FormattableString.Invariant($"{epoch,5} ") + string.Join("", seconds.Select(s => s.ToString("F4", CultureInfo.InvariantCulture).PadLeft(16)))
                    + seconds.Sum().ToString("F4", CultureInfo.InvariantCulture).PadLeft(10) + wall.ToString("F3", CultureInfo.InvariantCulture).PadLeft(8) + $"   {metrics}" + (variants.Count > 1 ? $"  [{name}]" : ""));
            }
        }
        foreach (var (name, rows) in results.Where(r => r.Value.Count > 0))
        {
            foreach (var (statistic, pick) in new (string, Func<IEnumerable<double>, double>)[] { ("min", xs => xs.Min()), ("median", xs => xs.Order().ElementAt(rows.Count / 2)) })
            {
                var values = Enumerable.Range(0, Names.Length + 1).Select(j => pick(rows.Select(r => r[j])));
                Console.WriteLine($"{statistic,-6}" + string.Join("", values.Take(Names.Length).Select(v => v.ToString("F4", CultureInfo.InvariantCulture).PadLeft(16)))
                    + values.Last().ToString("F4", CultureInfo.InvariantCulture).PadLeft(10) + $"   [{name}, epochs 2-{epochs}]");
            }
        }
        foreach (var (_, generator, module, step) in variants)
        {
            step.Dispose();
            module.Dispose();
            generator.Dispose();
        }
    }

    /// <summary>The trainer's <see cref="Optimizers"/> as an <see cref="IStepOptimizer"/>.</summary>
    private sealed class OptimizerStep(Optimizers optimizers) : IStepOptimizer
    {
        public double LearningRate => optimizers.LearningRate;

        public void SetLearningRate(double learningRate) => optimizers.SetLearningRate(learningRate);

        public void Step() => optimizers.Step();

        public void Dispose() => optimizers.Dispose();
    }

    private static double[] Epoch(TensorSet tensors, int rows, DenseNetworkModule module, IStepOptimizer step, Generator generator, out double wall, out string metrics)
    {
        var seconds = new double[Names.Length];
        double mark = ThreadCpuSeconds();
        void Lap(int part)
        {
            double now = ThreadCpuSeconds();
            seconds[part] += now - mark;
            mark = now;
        }
        module.train();
        double lossSum = 0;
        long correct = 0;
        var clock = Stopwatch.StartNew();
        using (var batches = ((IRowSource)tensors).Batches(128, true, generator))
        {
            while (true)
            {
                mark = ThreadCpuSeconds();
                var scope = NewDisposeScope();
                if (batches.Next() is not { } batch)
                {
                    scope.Dispose();
                    break;
                }
                Lap(0);
                module.zero_grad(set_to_none: true);
                Lap(1);
                var output = module.Forward(batch.Features);
                var loss = Losses.DataLoss(NetworkTask.Multiclass, RegressionLoss.MeanSquaredError, output, batch.Labels, batch.Weights);
                Lap(2);
                loss.backward();
                Lap(3);
                step.Step();
                Lap(4);
                lossSum += loss.item<float>() * batch.Count;
                Lap(5);
                correct += Losses.CountCorrect(NetworkTask.Multiclass, output, batch.Labels);
                Lap(6);
                scope.Dispose();
                Lap(7);
            }
        }
        wall = clock.Elapsed.TotalSeconds;
        metrics = FormattableString.Invariant($"loss {lossSum / rows:F4}, accuracy {(double)correct / rows:F4}");
        return seconds;
    }
}
