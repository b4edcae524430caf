using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// Scoring the lecture's 784-512-10 model: MlNetDeep (PredictionEngine per row on the fitted and on the saved-and-
/// loaded model; Transform over a cached view, block-scored for the fitted model, row by row for the loaded chain),
/// a raw ONNX Runtime session on the exported network (batch 1 and batch 1,000) and ML.NET's SdcaMaximumEntropy on
/// the same rows, every peer once per round in a shuffled order, rounds interleaved in one process. Prints min/median per peer and the
/// ratios of medians, with the load average before and after (other processes distort every figure).
/// Never part of the tests.
/// </summary>
internal static class Scoring
{
    private const int EngineRows = 2000;
    private const int TransformRows = 20000;

    public static void Run(MLContext ml, IDataView view, int rounds)
    {
        var rows = ml.Data.CreateEnumerable<Row>(ml.Data.TakeRows(view, EngineRows), reuseRowObject: false).ToArray();
        var train = ml.Data.TakeRows(view, 10000);
        var network = ml.MulticlassClassification.Trainers.DenseNetwork(new DenseNetworkOptions { HiddenLayerSizes = new[] { 512 }, BatchSize = 128, Epochs = 1, Seed = 1 }).Fit(train);
        var sdca = ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 3).Fit(train);
        using var stream = new MemoryStream();
        ml.Model.Save(network, view.Schema, stream);
        stream.Position = 0;
        var loaded = new MLContext().Model.Load(stream, out _);
        using var onnx = new MemoryStream();
        network.ExportOnnx(onnx);
        using var session = new InferenceSession(onnx.ToArray()); // ONNX Runtime's default threads, as issue 13's reference
        using var session1 = new InferenceSession(onnx.ToArray(), new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 });
        var scoringView = ml.Data.Cache(ml.Data.TakeRows(view, TransformRows));
        using (var c = scoringView.GetRowCursor(scoringView.Schema)) while (c.MoveNext()) { }
        var dense = new float[rows.Length * 784];
        for (int r = 0; r < rows.Length; r++) rows[r].Features.CopyTo(dense, r * 784);
        var scorer = new MlNetDeep.Network.ScoringNetwork(network.Model.ToDefinition("Features"));
        var legacy = new LegacyScoringNetwork(network.Model.ToDefinition("Features"));
        Console.WriteLine($"scoring: {Environment.ProcessorCount} cores, {MlNetDeep.Network.PackedLayer.Lanes * 32}-bit vectors, load average before {Load()}; PredictionEngine and forward passes on {EngineRows} rows, Transform on {TransformRows} cached rows; ONNX Runtime with its default threads, and with 1 thread at batch 1000");

        var results = new Dictionary<string, List<double>>();
        void Add(string name, double value) { if (!results.TryGetValue(name, out var l)) results[name] = l = new(); l.Add(value); }
        for (int round = 0; round < rounds + 1; round++)
        {
            bool warm = round == 0;
            double Engine(ITransformer model)
            {
                using var engine = ml.Model.CreatePredictionEngine<Row, Output>(model);
                var clock = Clock.StartNew();
                foreach (var row in rows) engine.Predict(row);
                return clock.Elapsed.TotalMilliseconds * 1000 / rows.Length;
            }
            double Transform(ITransformer model, bool? shareBlocks = null)
            {
                var clock = Clock.StartNew();
                var scored = shareBlocks is { } share
                    ? MlNetDeep.Network.BlockScoringView.Create(loaded.Transform(scoringView), scorer, "Features", share) // the fitted model's Transform with the helper forced on or off
                    : model.Transform(scoringView);
                using (var cursor = scored.GetRowCursor(new[] { scored.Schema["Score"] }))
                {
                    var getter = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
                    VBuffer<float> v = default;
                    while (cursor.MoveNext()) getter(ref v);
                }
                return TransformRows / clock.Elapsed.TotalSeconds;
            }
            double Onnx(int batch, InferenceSession session)
            {
                var clock = Clock.StartNew();
                for (int start = 0; start < rows.Length; start += batch)
                {
                    int n = Math.Min(batch, rows.Length - start);
                    var buffer = new float[n * 784];
                    for (int r = 0; r < n; r++) rows[start + r].Features.CopyTo(buffer, r * 784);
                    var input = new DenseTensor<float>(buffer, new[] { n, 784 });
                    using var output = session.Run(new[] { NamedOnnxValue.CreateFromTensor("features", input) });
                }
                return clock.Elapsed.TotalMilliseconds * 1000 / rows.Length;
            }
            double Forward()
            {
                var output = new float[10];
                var clock = Clock.StartNew();
                foreach (var row in rows)
                {
                    var v = new VBuffer<float>(784, row.Features);
                    scorer.Forward(v, output);
                }
                return clock.Elapsed.TotalMilliseconds * 1000 / rows.Length;
            }
            double ForwardBlockTwoThreads()
            {
                var output = new float[256 * 10];
                var clock = Clock.StartNew();
                for (int start = 0; start < rows.Length; start += 256)
                {
                    int n = Math.Min(256, rows.Length - start);
                    int half = n / 2 / 4 * 4;
                    int first = start;
                    Parallel.Invoke(
                        () => scorer.ForwardBlock(dense.AsSpan(first * 784, half * 784), half, output.AsSpan(0, half * 10)),
                        () => scorer.ForwardBlock(dense.AsSpan((first + half) * 784, (n - half) * 784), n - half, output.AsSpan(half * 10)));
                }
                return clock.Elapsed.TotalMilliseconds * 1000 / rows.Length;
            }
            double ForwardBlockShared() => ForwardBlockVia(shared: true);
            double ForwardBlockVia(bool shared)
            {
                var output = new float[256 * 10];
                var block = new float[256 * 784];
                var forward = new MlNetDeep.Network.SharedBlockForward(scorer, shared);
                var clock = Clock.StartNew();
                for (int start = 0; start < rows.Length; start += 256)
                {
                    int n = Math.Min(256, rows.Length - start);
                    dense.AsSpan(start * 784, n * 784).CopyTo(block);
                    forward.Forward(block, n, output);
                }
                return clock.Elapsed.TotalMilliseconds * 1000 / rows.Length;
            }
            double Grouping()
            {
                var order = new int[256];
                var clock = Clock.StartNew();
                for (int start = 0; start < rows.Length; start += 256)
                {
                    int n = Math.Min(256, rows.Length - start);
                    MlNetDeep.Network.RowGroups.Order(dense.AsSpan(start * 784, n * 784), n, 784, order);
                }
                return clock.Elapsed.TotalMilliseconds * 1000 / rows.Length;
            }
            double ForwardLegacy()
            {
                var output = new float[10];
                var clock = Clock.StartNew();
                foreach (var row in rows)
                {
                    var v = new VBuffer<float>(784, row.Features);
                    legacy.Forward(v, output);
                }
                return clock.Elapsed.TotalMilliseconds * 1000 / rows.Length;
            }
            double ForwardBlock()
            {
                var output = new float[256 * 10];
                var clock = Clock.StartNew();
                for (int start = 0; start < rows.Length; start += 256)
                {
                    int n = Math.Min(256, rows.Length - start);
                    scorer.ForwardBlock(dense.AsSpan(start * 784, n * 784), n, output);
                }
                return clock.Elapsed.TotalMilliseconds * 1000 / rows.Length;
            }
            void Measure(string name, Func<double> run)
            {
                double value = run();
                double cpuOverWall = Clock.LastCpuOverWall;
                if (warm) return;
                Add(name, value);
                Add(name.Insert(name.LastIndexOf(" (", StringComparison.Ordinal), " [CPU time]"), name.EndsWith("(rows/s)", StringComparison.Ordinal) ? value / cpuOverWall : value * cpuOverWall);
            }
            // every peer once per round, in a new order each round, so no peer always follows the same neighbour
            var peers = new (string Name, Func<double> Run)[]
            {
                (EngineFitted, () => Engine(network)), (EngineLoaded, () => Engine(loaded)), (EngineSdca, () => Engine(sdca)),
                (Onnx1, () => Onnx(1, session)), (Onnx1000, () => Onnx(1000, session)), (Onnx1000OneThread, () => Onnx(1000, session1)),
                (ForwardOne, Forward), (ForwardBlocks, ForwardBlock), (ForwardBlocks2, ForwardBlockTwoThreads), (ForwardBlocksShared, ForwardBlockShared), (ForwardBlocksGrouped, () => ForwardBlockVia(shared: false)), (GroupingAlone, Grouping), (ForwardBefore, ForwardLegacy),
                (TransformFitted, () => Transform(network)), (TransformOneThread, () => Transform(network, shareBlocks: false)),
                (TransformShared, () => Transform(network, shareBlocks: true)), (TransformLoaded, () => Transform(loaded)), (TransformSdca, () => Transform(sdca)),
            };
            new Random(round).Shuffle(peers);
            foreach (var (name, run) in peers)
                Measure(name, run);
        }
        Console.WriteLine($"{"peer",-58} {"min",10} {"median",10}   ({rounds} rounds)");
        foreach (var (name, values) in results)
        {
            bool rate = name.EndsWith("(rows/s)", StringComparison.Ordinal);
            Console.WriteLine($"{name,-58} {(rate ? values.Max() : values.Min()),10:F1} {Median(name),10:F1}{(rate ? "   (best = max)" : "")}");
        }
        double Median(string key) => results[key].OrderBy(v => v).ElementAt(results[key].Count / 2);
        double onnxBatchRate = 1e6 / Median(Onnx1000);
        Console.WriteLine("ratios of medians:");
        Console.WriteLine($"  PredictionEngine (loaded) / raw ONNX batch 1              {Median(EngineLoaded) / Median(Onnx1):F2}   (goal <= 1.3)");
        Console.WriteLine($"  PredictionEngine (fitted) / raw ONNX batch 1              {Median(EngineFitted) / Median(Onnx1):F2}");
        Console.WriteLine($"  PredictionEngine (loaded) / SdcaMaximumEntropy            {Median(EngineLoaded) / Median(EngineSdca):F2}");
        Console.WriteLine($"  forward one row / before packing (bde411c)                {Median(ForwardOne) / Median(ForwardBefore):F2}");
        Console.WriteLine($"  forward in blocks of 256 / before packing (bde411c)       {Median(ForwardBlocks) / Median(ForwardBefore):F2}");
        Console.WriteLine($"  forward in blocks, 2 threads / 1 thread                   {Median(ForwardBlocks2) / Median(ForwardBlocks):F2}");
        Console.WriteLine($"  forward in blocks, rows grouped / in arrival order         {Median(ForwardBlocksGrouped) / Median(ForwardBlocks):F2}");
        Console.WriteLine($"  forward in blocks, grouped, shared with a helper / 1 thread {Median(ForwardBlocksShared) / Median(ForwardBlocksGrouped):F2}");
        Console.WriteLine($"  Transform, blocks shared with a helper / one thread       {Median(TransformShared) / Median(TransformOneThread):F2}   (rows/s ratio, above 1 = faster)");
        Console.WriteLine($"  Transform (fitted, blocks) rows/s / raw ONNX batch 1000   {Median(TransformFitted) / onnxBatchRate:F2}   ({onnxBatchRate:F0} rows/s)");
        Console.WriteLine($"  Transform (fitted, blocks) rows/s / ONNX batch 1000, 1 thr {Median(TransformFitted) / (1e6 / Median(Onnx1000OneThread)):F2}");
        Console.WriteLine($"  Transform (fitted, blocks) / Transform (loaded, per row)  {Median(TransformFitted) / Median(TransformLoaded):F2}");
        Console.WriteLine($"  Transform (fitted, blocks) / SdcaMaximumEntropy           {Median(TransformFitted) / Median(TransformSdca):F2}");
        Console.WriteLine($"load average after {Load()}");
    }

    private const string EngineFitted = "PredictionEngine, fitted model (µs/row)";
    private const string EngineLoaded = "PredictionEngine, saved and loaded model (µs/row)";
    private const string EngineSdca = "PredictionEngine, SdcaMaximumEntropy (µs/row)";
    private const string ForwardOne = "managed forward pass alone, one row (µs/row)";
    private const string ForwardBefore = "forward pass before packing (commit bde411c), one row (µs/row)";
    private const string ForwardBlocks2 = "managed forward pass alone, blocks of 256 split over 2 threads (µs/row)";
    private const string GroupingAlone = "grouping a block's rows by their zeros alone (µs/row)";
    private const string ForwardBlocksGrouped = "managed forward pass alone, blocks of 256, rows grouped by zeros, 1 thread (µs/row)";
    private const string ForwardBlocksShared = "managed forward pass alone, blocks of 256, rows grouped, shared when faster (µs/row)";
    private const string TransformOneThread = "Transform, fitted model, blocks on one thread (rows/s)";
    private const string TransformShared = "Transform, fitted model, blocks shared with a helper when faster (rows/s)";
    private const string ForwardBlocks = "managed forward pass alone, blocks of 256 (µs/row)";
    private const string Onnx1 = "raw ONNX Runtime session, batch 1 (µs/row)";
    private const string Onnx1000 = "raw ONNX Runtime session, batch 1000 (µs/row)";
    private const string Onnx1000OneThread = "raw ONNX Runtime session, batch 1000, 1 thread (µs/row)";
    private const string TransformFitted = "Transform, MlNetDeep fitted model (rows/s)";
    private const string TransformLoaded = "Transform, MlNetDeep saved and loaded (rows/s)";
    private const string TransformSdca = "Transform, SdcaMaximumEntropy (rows/s)";

    /// <summary>A stopwatch that also takes the process's CPU time, so a loaded machine's stolen time can be told apart.</summary>
    private sealed class Clock
    {
        private readonly Stopwatch _wall = Stopwatch.StartNew();
        private readonly TimeSpan _cpu = Process.GetCurrentProcess().TotalProcessorTime;

        /// <summary>CPU time over wall time of the last clock read (above 1 when several threads ran).</summary>
        public static double LastCpuOverWall { get; private set; } = 1;

        public static Clock StartNew() => new();

        public TimeSpan Elapsed
        {
            get
            {
                var wall = _wall.Elapsed;
                LastCpuOverWall = (Process.GetCurrentProcess().TotalProcessorTime - _cpu).TotalSeconds / wall.TotalSeconds;
                return wall;
            }
        }
    }

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private sealed class Row
    {
        [VectorType(784)]
        public float[] Features { get; set; } = new float[784];

        public uint Label { get; set; }
    }

    private sealed class Output
    {
        public float[] Score { get; set; } = Array.Empty<float>();
    }
}
