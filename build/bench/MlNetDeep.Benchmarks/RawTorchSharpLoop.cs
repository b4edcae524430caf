using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// The baseline: the tightest plain TorchSharp loop for the same network and optimizer (what a TorchSharp user
/// writes by hand): data already in one tensor, randperm + index_select batches, one dispose scope per batch.
/// </summary>
internal static class RawTorchSharpLoop
{
    public static double[] Run(float[] features, long[] labels, int rows, int inputs, int hidden, int classes, int batchSize, int epochs, int seed)
    {
        torch.manual_seed(seed);
        using var x = tensor(features, new long[] { rows, inputs });
        using var y = tensor(labels, new long[] { rows });
        using var model = nn.Sequential(("dense", nn.Linear(inputs, hidden)), ("relu", nn.ReLU()), ("out", nn.Linear(hidden, classes)));
        using var optimizer = optim.RMSProp(model.parameters(), lr: 1e-3, alpha: 0.9, eps: 1e-7);
        var seconds = new double[epochs];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            model.train();
            using var order = randperm(rows);
            double lossSum = 0;
            for (int start = 0; start < rows; start += batchSize)
            {
                using var scope = NewDisposeScope();
                int count = Math.Min(batchSize, rows - start);
                var index = order.narrow(0, start, count);
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(model.forward(x.index_select(0, index)), y.index_select(0, index));
                loss.backward();
                optimizer.step();
                lossSum += loss.item<float>() * count;
            }
            seconds[epoch] = clock.Elapsed.TotalSeconds;
        }
        return seconds;
    }
}
