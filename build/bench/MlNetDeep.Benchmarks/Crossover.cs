using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Training.Managed;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// Where the managed training engine stops paying: the same binary Fit (two hidden layers of W units, Adam, one thread,
/// seeded synthetic rows) on the managed engine and on libtorch, interleaved, for growing widths, input sizes and
/// batch sizes. Prints each configuration's work per mini-batch (batch × Σ inputs·outputs, the quantity
/// <see cref="ManagedTraining.MaxWorkPerBatch"/> bounds) and the fastest epoch (after the first) of each engine.
/// </summary>
internal static class Crossover
{
    public static int Run(IReadOnlyList<string> arguments)
    {
        int rows = Option(arguments, "--rows", 4000);
        int epochs = Option(arguments, "--epochs", 3);
        Console.WriteLine("crossover: inputs widths batch work/batch managed_s libtorch_s managed/libtorch (fastest epoch after the first, one thread)");
        foreach (int inputs in new[] { 30, 784 })
        {
            var ml = new MLContext(1);
            var random = new Random(13);
            var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, rows).Select(_ =>
            {
                var x = Enumerable.Range(0, inputs).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
                return new Row { Features = x, Label = x.Take(8).Sum() > 0 };
            }).ToArray(), SchemaFor(inputs));
            foreach (int batch in new[] { 32, 128 })
            {
                foreach (int width in new[] { 16, 32, 64, 128, 256 })
                {
                    double managed = double.PositiveInfinity, libtorch = double.PositiveInfinity;
                    long work = 0;
                    for (int round = 0; round < 2; round++)
                    {
                        foreach (var engine in new[] { TrainingEngine.Managed, TrainingEngine.LibTorch })
                        {
                            var options = new DenseNetworkOptions
                            {
                                HiddenLayerSizes = new[] { width, width }, BatchSize = batch, Epochs = epochs, Seed = 1, Optimizer = OptimizerKind.Adam, NumberOfThreads = 1, Engine = engine,
                            };
                            work = ManagedTraining.WorkPerBatch(options, inputs, 1);
                            var history = ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(data).History;
                            double best = history.Skip(1).Min(m => m.Duration.TotalSeconds);
                            if (engine == TrainingEngine.Managed)
                                managed = Math.Min(managed, best);
                            else
                                libtorch = Math.Min(libtorch, best);
                        }
                    }
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"crossover {inputs,4} {width,4}x2 {batch,4} {work,10} {managed,9:F4} {libtorch,9:F4} {managed / libtorch,6:F2}"));
                }
            }
        }
        return 0;
    }

    private static int Option(IReadOnlyList<string> arguments, string name, int fallback)
    {
        int i = arguments.ToList().IndexOf(name);
        return i >= 0 && i + 1 < arguments.Count ? int.Parse(arguments[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static SchemaDefinition SchemaFor(int inputs)
    {
        var definition = SchemaDefinition.Create(typeof(Row));
        definition[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, inputs);
        return definition;
    }

    private sealed class Row
    {
        public float[] Features { get; set; } = Array.Empty<float>();

        public bool Label { get; set; }
    }
}
