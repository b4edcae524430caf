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

    public static void Run(IDataView view, int epochs, OptimizerKind optimizer)
    {
        LibTorchRuntime.EnsureLoaded();
        torch.set_num_threads(1);
        LibTorchRuntime.TrySetFlushDenormal(true);
        var set = TrainingSet.Read(view, NetworkTask.Multiclass, "Features", "Label", null, null, CancellationToken.None);
        using var tensors = new TensorSet(set, NetworkTask.Multiclass);
        using var generator = new Generator(1, CPU);
        using var module = new DenseNetworkModule(set.Dimension, new[] { 512 }, 10, Activation.Relu, 0, generator);
        var options = new DenseNetworkOptions { Optimizer = optimizer };
        using var step = new Optimizers(options, module.parameters());
        Console.WriteLine($"epoch parts: {set.Rows} rows, {optimizer}, batch 128, 1 thread (seconds per epoch)");
        Console.WriteLine("epoch " + string.Join("", Names.Select(n => $"{n,16}")) + $"{"CPU total",10}{"wall",8}");
        for (int epoch = 1; epoch <= epochs; epoch++)
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
            double total = clock.Elapsed.TotalSeconds;
            Console.WriteLine(FormattableString.Invariant($"{epoch,5} ") + string.Join("", seconds.Select(s => s.ToString("F4", CultureInfo.InvariantCulture).PadLeft(16)))
                + seconds.Sum().ToString("F4", CultureInfo.InvariantCulture).PadLeft(10) + total.ToString("F3", CultureInfo.InvariantCulture).PadLeft(8) + FormattableString.Invariant($"   loss {lossSum / set.Rows:F4}, accuracy {(double)correct / set.Rows:F4}"));
        }
    }
}
