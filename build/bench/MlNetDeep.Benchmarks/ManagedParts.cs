using System.Globalization;
using Microsoft.ML;
using MlNetDeep.Native;
using MlNetDeep.Training;
using MlNetDeep.Training.Managed;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// Where an epoch of the lecture's model goes on the managed engine with GEMM products: the steps of
/// <see cref="ManagedEpochTrainer"/>'s loop made with its own pieces (<see cref="ManagedNetwork"/> batched,
/// <see cref="ManagedLoss"/>, <see cref="ManagedOptimizer"/>), each timed on its own by the thread's CPU time, with
/// MKL on the calling thread. The products' share is the GEMM calls timed alone inside forward and backward.
/// </summary>
internal static class ManagedParts
{
    private static readonly string[] Names = { "gather batch", "forward (bias, 2 GEMM, relu)", "loss + gradient", "count correct", "backward (3 GEMM, bias sums, relu)", "RMSprop step" };

    public static void Run(IDataView view, int epochs)
    {
        LibTorchRuntime.EnsureLoaded();
        var set = TrainingSet.Read(view, NetworkTask.Multiclass, "Features", "Label", null, null, CancellationToken.None);
        int dimension = set.Dimension, batch = 128, outputs = 10;
        var network = new ManagedNetwork(new[] { dimension, 512, outputs }, Activation.Relu, 0, batch, batched: true);
        var random = new Random(1);
        foreach (var kernel in network.Kernels)
            for (int i = 0; i < kernel.Length; i++)
                kernel[i] = (float)(random.NextDouble() * 0.1 - 0.05);
        var optimizer = ManagedOptimizer.Create(new DenseNetworkOptions { Optimizer = OptimizerKind.RmsProp }, network.Parameters().Select(p => p.Values.Length).ToArray());
        var features = new float[batch * dimension];
        var labels = new float[batch];
        int previous = MklGemm.SetThreadsLocal(1);
        var parts = Names.Select(_ => new List<double>()).ToArray();
        var epochTimes = new List<double>();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var order = Enumerable.Range(0, set.Rows).OrderBy(_ => random.Next()).ToArray();
            var sums = new double[Names.Length];
            double start = EpochParts.ThreadCpuSeconds(), mark = start;
            void Lap(int part)
            {
                double now = EpochParts.ThreadCpuSeconds();
                sums[part] += now - mark;
                mark = now;
            }
            for (int position = 0; position < set.Rows; position += batch)
            {
                int count = Math.Min(batch, set.Rows - position);
                for (int k = 0; k < count; k++)
                {
                    int row = set.Start + order[position + k];
                    set.Features.AsSpan(row * dimension, dimension).CopyTo(features.AsSpan(k * dimension, dimension));
                    labels[k] = set.Labels[row];
                }
                Lap(0);
                var x = features.AsSpan(0, count * dimension);
                var output = network.Forward(x, count, training: true);
                Lap(1);
                ManagedLoss.LossAndGradient(NetworkTask.Multiclass, RegressionLoss.MeanSquaredError, output, outputs, labels.AsSpan(0, count), ReadOnlySpan<float>.Empty, count, network.OutputGradient(count));
                Lap(2);
                ManagedLoss.Correct(NetworkTask.Multiclass, output, outputs, labels, count);
                Lap(3);
                network.Backward(x, count, training: true);
                Lap(4);
                int index = 0;
                foreach (var (values, gradient) in network.Parameters())
                    optimizer.Step(index++, values, gradient);
                Lap(5);
            }
            epochTimes.Add(EpochParts.ThreadCpuSeconds() - start);
            for (int p = 0; p < Names.Length; p++)
                parts[p].Add(sums[p]);
            string split = string.Join("  ", sums.Select(s => s.ToString("F3", CultureInfo.InvariantCulture)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"epoch {epoch + 1}: {epochTimes[^1]:F3} s CPU  {split}"));
        }
        MklGemm.SetThreadsLocal(previous);
        static double Median(IEnumerable<double> v) { var a = v.OrderBy(x => x).ToArray(); return a[a.Length / 2]; }
        for (int p = 0; p < Names.Length; p++)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Names[p],-36} median {Median(parts[p].Skip(1)):F4}  min {parts[p].Skip(1).Min():F4} s CPU per epoch"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"epoch",-36} median {Median(epochTimes.Skip(1)):F4}  min {epochTimes.Skip(1).Min():F4} s CPU"));
    }
}
