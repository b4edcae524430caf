using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// Fashion-MNIST (first 10,000 training images, pixels / 255, no slot names; then the same rows with slot names)
/// with 784 channels appended by AppendNoiseChannels: Fit time, Transform throughput (rows/s of one full read pass of
/// the output column, best of 3) and PredictionEngine latency (µs per Predict, best of 3 passes over 2,000 rows),
/// for each NoiseKind. Each is given in wall-clock time and in this process's CPU time, which a shared, loaded
/// machine distorts far less (both passes are single-threaded).
/// </summary>
internal static class NoiseChannelBenchmark
{
    private const int Pixels = 784;

    public static void Run()
    {
        const int rows = 10_000;
        var ml = new MLContext(seed: 1);
        var (images, _) = FashionMnist.Train(rows);
        foreach (bool named in new[] { false, true })
        {
            var definition = SchemaDefinition.Create(typeof(PixelRow));
            definition[nameof(PixelRow.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Pixels);
            if (named)
            {
                var names = new VBuffer<ReadOnlyMemory<char>>(Pixels, Enumerable.Range(0, Pixels).Select(j => $"pixel{j}".AsMemory()).ToArray());
                definition[nameof(PixelRow.Pixels)].AddAnnotation("SlotNames", names, new VectorDataViewType(TextDataViewType.Instance, Pixels));
            }
            var data = ml.Data.LoadFromEnumerable(images.Select(x => new PixelRow { Pixels = x }), definition);
            foreach (var kind in new[] { NoiseKind.Uniform, NoiseKind.Gaussian, NoiseKind.Zeros })
                Measure(ml, data, images, kind, named);
        }
    }

    private static void Measure(MLContext ml, IDataView data, float[][] images, NoiseKind kind, bool named)
    {
        var clock = Stopwatch.StartNew();
        var model = ml.Transforms.AppendNoiseChannels("Features", "Pixels", Pixels, kind, seed: 7).Fit(data);
        double fitMs = clock.Elapsed.TotalMilliseconds;

        double best = double.MaxValue, bestCpu = double.MaxValue;
        for (int run = 0; run < 3; run++)
        {
            var cpu = CpuTime();
            clock.Restart();
            var output = model.Transform(data);
            var column = output.Schema["Features"];
            using var cursor = output.GetRowCursor(new[] { column });
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> value = default;
            while (cursor.MoveNext())
                getter(ref value);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
            bestCpu = Math.Min(bestCpu, CpuTime() - cpu);
        }
        double rowsPerSecond = images.Length / best, cpuRowsPerSecond = images.Length / bestCpu;

        var engine = ml.Model.CreatePredictionEngine<PixelRow, NoisyRow>(model, new PredictionEngineOptions { OwnsTransformer = false, InputSchemaDefinition = Definition() });
        var input = new PixelRow();
        const int calls = 2_000;
        for (int i = 0; i < 200; i++)
        {
            input.Pixels = images[i];
            engine.Predict(input);
        }
        double bestCall = double.MaxValue, bestCallCpu = double.MaxValue;
        for (int run = 0; run < 3; run++)
        {
            var cpu = CpuTime();
            clock.Restart();
            for (int i = 0; i < calls; i++)
            {
                input.Pixels = images[i];
                engine.Predict(input);
            }
            bestCall = Math.Min(bestCall, clock.Elapsed.TotalMilliseconds * 1000 / calls);
            bestCallCpu = Math.Min(bestCallCpu, (CpuTime() - cpu) * 1e6 / calls);
        }
        Console.WriteLine($"noise {kind,-8} input {(named ? "named  " : "unnamed")}: fit {fitMs,7:F1} ms, " +
            $"Transform {rowsPerSecond,7:F0} rows/s ({cpuRowsPerSecond,7:F0} per CPU-s), PredictionEngine {bestCall,6:F1} µs/row ({bestCallCpu,6:F1} CPU-µs)");
    }

    private static double CpuTime() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    private static SchemaDefinition Definition()
    {
        var definition = SchemaDefinition.Create(typeof(PixelRow));
        definition[nameof(PixelRow.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Pixels);
        return definition;
    }

    private sealed class PixelRow
    {
        public float[] Pixels { get; set; } = Array.Empty<float>();
    }

    private sealed class NoisyRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();
    }
}
