using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// Scoring the lecture's 784-512-10 model: the saved model's managed chain (PredictionEngine per row, Transform
/// over a view) against a raw ONNX Runtime session on the exported network (batch 1 and batch 1,000) and ML.NET's
/// SdcaMaximumEntropy, rounds interleaved in one process. Prints times and ratios; never part of the tests.
/// </summary>
internal static class Scoring
{
    public static void Run(MLContext ml, IDataView view, int rounds)
    {
        var rows = ml.Data.CreateEnumerable<Row>(ml.Data.TakeRows(view, 2000), reuseRowObject: false).ToArray();
        var train = ml.Data.TakeRows(view, 10000);
        var network = ml.MulticlassClassification.Trainers.DenseNetwork(new DenseNetworkOptions { HiddenLayerSizes = new[] { 512 }, BatchSize = 128, Epochs = 1, Seed = 1 }).Fit(train);
        var sdca = ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 3).Fit(train);
        using var stream = new MemoryStream();
        ml.Model.Save(network, view.Schema, stream);
        stream.Position = 0;
        var loaded = new MLContext().Model.Load(stream, out _);
        using var onnx = new MemoryStream();
        network.ExportOnnx(onnx);
        using var session = new InferenceSession(onnx.ToArray());
        var scoringView = ml.Data.Cache(ml.Data.TakeRows(view, 20000));
        using (var c = scoringView.GetRowCursor(scoringView.Schema)) while (c.MoveNext()) { }

        var results = new Dictionary<string, List<double>>();
        void Add(string name, double value) { if (!results.TryGetValue(name, out var l)) results[name] = l = new(); l.Add(value); }
        for (int round = 0; round < rounds + 1; round++)
        {
            bool warm = round == 0;
            double Engine(ITransformer model)
            {
                using var engine = ml.Model.CreatePredictionEngine<Row, Output>(model);
                var clock = Stopwatch.StartNew();
                foreach (var row in rows) engine.Predict(row);
                return clock.Elapsed.TotalMilliseconds * 1000 / rows.Length;
            }
            double Transform(ITransformer model)
            {
                var clock = Stopwatch.StartNew();
                var scored = model.Transform(scoringView);
                using (var cursor = scored.GetRowCursor(new[] { scored.Schema["Score"] }))
                {
                    var getter = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
                    VBuffer<float> v = default;
                    while (cursor.MoveNext()) getter(ref v);
                }
                return 20000 / clock.Elapsed.TotalSeconds;
            }
            double Onnx(int batch)
            {
                var clock = Stopwatch.StartNew();
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
                var scorer = new MlNetDeep.Network.ScoringNetwork(network.Model.ToDefinition("Features"));
                var output = new float[10];
                var clock = Stopwatch.StartNew();
                foreach (var row in rows)
                {
                    var v = new VBuffer<float>(784, row.Features);
                    scorer.Forward(v, output);
                }
                return clock.Elapsed.TotalMilliseconds * 1000 / rows.Length;
            }
            var managedEngine = Engine(network);
            var loadedEngine = Engine(loaded);
            var sdcaEngine = Engine(sdca);
            var onnx1 = Onnx(1);
            var onnx1000 = Onnx(1000);
            var forward = Forward();
            var managedTransform = Transform(network);
            var sdcaTransform = Transform(sdca);
            if (warm) continue;
            Add("PredictionEngine, fitted model (µs/row)", managedEngine);
            Add("PredictionEngine, loaded model (µs/row)", loadedEngine);
            Add("PredictionEngine, SdcaMaximumEntropy (µs/row)", sdcaEngine);
            Add("managed forward pass alone (µs/row)", forward);
            Add("raw ONNX Runtime session, batch 1 (µs/row)", onnx1);
            Add("raw ONNX Runtime session, batch 1000 (µs/row)", onnx1000);
            Add("Transform, MlNetDeep (rows/s)", managedTransform);
            Add("Transform, SdcaMaximumEntropy (rows/s)", sdcaTransform);
        }
        foreach (var (name, values) in results)
            Console.WriteLine($"{name,-50} {values.OrderBy(v => v).ElementAt(values.Count / 2),10:F1}   (median of {values.Count})");
        double Median(string key) => results[key].OrderBy(v => v).ElementAt(results[key].Count / 2);
        Console.WriteLine($"ratio PredictionEngine / raw ONNX batch 1     {Median("PredictionEngine, loaded model (µs/row)") / Median("raw ONNX Runtime session, batch 1 (µs/row)"):F2}");
    }

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
