using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Training.Managed;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// The small tabular network of issue 13 (30 → 16 → 16 → 1, ReLU, sigmoid output, Adam lr 1e-3, batch 32, one
/// thread) on the rows of a CSV file (30 feature columns, then the 0/1 label; build/bench/peers/tabular_peer.py
/// writes it, so every peer trains on the same rows): MlNetDeep's binary DenseNetwork trainer as a user gets it (the
/// managed engine, chosen automatically at this size) and forced onto libtorch, then the plain TorchSharp loop a
/// TorchSharp user writes by hand. One line per epoch, the format compare.sh reads:
/// "tabular PEER epoch=E seconds=S loss=L".
/// </summary>
internal static class Tabular
{
    public static int Run(IReadOnlyList<string> arguments)
    {
        int i = arguments.ToList().IndexOf("--csv");
        if (i < 0 || i + 1 >= arguments.Count || !File.Exists(arguments[i + 1]))
        {
            Console.Error.WriteLine("usage: MlNetDeep.Benchmarks tabular --csv FILE [--epochs N (5)] (FILE: 30 feature columns, then a 0/1 label; no header)");
            return 2;
        }
        int e = arguments.ToList().IndexOf("--epochs");
        int epochs = e >= 0 && e + 1 < arguments.Count ? int.Parse(arguments[e + 1], CultureInfo.InvariantCulture) : 5;
        var (features, labels) = Read(arguments[i + 1]);
        int rows = labels.Length;

        var ml = new MLContext(seed: 1);
        var definition = SchemaDefinition.Create(typeof(Row));
        definition[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Inputs);
        var view = ml.Data.Cache(ml.Data.LoadFromEnumerable(
            Enumerable.Range(0, rows).Select(r => new Row { Features = features.AsSpan(r * Inputs, Inputs).ToArray(), Label = labels[r] > 0.5f }), definition));
        using (var cursor = view.GetRowCursor(view.Schema))
            while (cursor.MoveNext()) { } // fill the cache: epochs read rows from memory, as the other peers do

        // the default (Auto: the managed engine for a network this small), then the same Fit forced onto libtorch
        foreach (var (peer, engine) in new[] { ("mlnetdeep", TrainingEngine.Auto), ("mlnetdeep-libtorch", TrainingEngine.LibTorch) })
        {
            var options = new DenseNetworkOptions
            {
                HiddenLayerSizes = new[] { 16, 16 }, BatchSize = 32, Epochs = epochs, Seed = 1, Optimizer = OptimizerKind.Adam, LearningRate = 1e-3, NumberOfThreads = 1,
                Engine = engine,
            };
            var model = ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(view);
            foreach (var m in model.History)
                Console.WriteLine(FormattableString.Invariant($"tabular {peer} epoch={m.Epoch} seconds={m.Duration.TotalSeconds:F4} loss={m.Loss:F4}"));
        }

        var raw = RawLoop(features, labels, epochs);
        for (int k = 0; k < raw.Length; k++)
            Console.WriteLine(FormattableString.Invariant($"tabular torchsharp epoch={k + 1} seconds={raw[k].Seconds:F4} loss={raw[k].Loss:F4}"));
        return 0;
    }

    private const int Inputs = 30;

    private static (float[] Features, float[] Labels) Read(string path)
    {
        var features = new List<float>();
        var labels = new List<float>();
        foreach (var line in File.ReadLines(path))
        {
            var parts = line.Split(',');
            if (parts.Length != Inputs + 1)
                throw new InvalidDataException($"'{path}': a row of {parts.Length} values; expected {Inputs} features and a label.");
            for (int j = 0; j < Inputs; j++)
                features.Add(float.Parse(parts[j], CultureInfo.InvariantCulture));
            labels.Add(float.Parse(parts[Inputs], CultureInfo.InvariantCulture));
        }
        return (features.ToArray(), labels.ToArray());
    }

    /// <summary>The same network and optimizer in plain TorchSharp: data in one tensor, randperm + index_select batches, one dispose scope per batch.</summary>
    private static (double Seconds, double Loss)[] RawLoop(float[] features, float[] labels, int epochs)
    {
        torch.set_num_threads(1);
        torch.manual_seed(1);
        int rows = labels.Length;
        using var x = tensor(features, new long[] { rows, Inputs });
        using var y = tensor(labels, new long[] { rows, 1 });
        using var model = nn.Sequential(("h1", nn.Linear(Inputs, 16)), ("r1", nn.ReLU()), ("h2", nn.Linear(16, 16)), ("r2", nn.ReLU()), ("out", nn.Linear(16, 1)));
        using var optimizer = optim.Adam(model.parameters(), lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-7);
        var result = new (double, double)[epochs];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            model.train();
            using var order = randperm(rows);
            double lossSum = 0;
            for (int start = 0; start < rows; start += 32)
            {
                using var scope = NewDisposeScope();
                int count = Math.Min(32, rows - start);
                var index = order.narrow(0, start, count);
                optimizer.zero_grad();
                var loss = nn.functional.binary_cross_entropy_with_logits(model.forward(x.index_select(0, index)), y.index_select(0, index));
                loss.backward();
                optimizer.step();
                lossSum += loss.item<float>() * count;
            }
            result[epoch] = (clock.Elapsed.TotalSeconds, lossSum / rows);
        }
        return result;
    }

    private sealed class Row
    {
        public float[] Features { get; set; } = Array.Empty<float>();

        public bool Label { get; set; }
    }
}
