using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Training.Managed;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// Where each training engine pays: the same binary Fit (two hidden layers of W units, Adam, one thread, seeded
/// synthetic rows) on the managed engine row at a time, the managed engine with GEMM products, and
/// libtorch, interleaved, for growing widths, input sizes and batch sizes. Prints each configuration's work per
/// mini-batch (batch × Σ inputs·outputs, the quantity <see cref="ManagedTraining.MaxWorkPerBatch"/> bounds) and the
/// fastest epoch (after the first) of each engine, and each managed form's over libtorch's.
/// </summary>
internal static class Crossover
{
    public static int Run(IReadOnlyList<string> arguments)
    {
        int rows = Option(arguments, "--rows", 4000);
        int epochs = Option(arguments, "--epochs", 3);
        Console.WriteLine("crossover: inputs widths batch work/batch rows_s gemm_s libtorch_s rows/libtorch gemm/libtorch (fastest epoch after the first, one thread)");
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
                foreach (int width in new[] { 16, 32, 64, 128, 256, 512 })
                {
                    double rowsBest = double.PositiveInfinity, gemm = double.PositiveInfinity, libtorch = double.PositiveInfinity;
                    long work = 0;
                    for (int round = 0; round < 2; round++)
                    {
                        foreach (var (name, engine) in new[] { ("rows", TrainingEngine.ManagedRows), ("gemm", TrainingEngine.ManagedGemm), ("libtorch", TrainingEngine.LibTorch) })
                        {
                            var options = new DenseNetworkOptions
                            {
                                HiddenLayerSizes = new[] { width, width }, BatchSize = batch, Epochs = epochs, Seed = 1, Optimizer = OptimizerKind.Adam, NumberOfThreads = 1, Engine = engine,
                            };
                            work = ManagedTraining.WorkPerBatch(options, inputs, 1);
                            var history = ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(data).History;
                            double best = history.Skip(1).Min(m => m.Duration.TotalSeconds);
                            if (name == "rows")
                                rowsBest = Math.Min(rowsBest, best);
                            else if (name == "gemm")
                                gemm = Math.Min(gemm, best);
                            else
                                libtorch = Math.Min(libtorch, best);
                        }
                    }
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"crossover {inputs,4} {width,4}x2 {batch,4} {work,10} {rowsBest,9:F4} {gemm,9:F4} {libtorch,9:F4} {rowsBest / libtorch,6:F2} {gemm / libtorch,6:F2}"));
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
