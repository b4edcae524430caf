// Consumer test (b): the Program.cs of a fresh net8.0 console app that references only MlNetDeep.Core, published
// self-contained for linux-x64 so it runs on the .NET 8 runtime. It loads the zip the training app saved, scores the
// probe rows with a PredictionEngine and writes the predictions in the training app's format (build/consumer-test.sh
// compares the two files).
// Usage: LoadApp MODEL.zip PROBE.csv OUT.txt
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.ML;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: LoadApp MODEL.zip PROBE.csv OUT.txt");
    return 2;
}
var ml = new MLContext();
ITransformer model = ml.Model.Load(args[0], out _);
var lines = new List<string>();
using (var engine = ml.Model.CreatePredictionEngine<Row, Prediction>(model))
{
    foreach (var line in File.ReadLines(args[1]).Skip(1))
    {
        var x = line.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var row = new Row { X1 = x[0], X2 = x[1], X3 = x[2], X4 = x[3] };
        lines.Add(Prediction.Format(row, engine.Predict(row)));
    }
}
File.WriteAllLines(args[2], lines);
Console.WriteLine($"{RuntimeInformation.FrameworkDescription}: {lines.Count} predictions from {args[0]}");

// a load-only app must not load the training or ONNX stacks
var heavy = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name ?? "")
    .Where(n => n.Contains("TorchSharp", StringComparison.OrdinalIgnoreCase) || n.Contains("OnnxRuntime", StringComparison.OrdinalIgnoreCase) || n == "MlNetDeep.Trainers")
    .ToArray();
if (heavy.Length > 0)
{
    Console.Error.WriteLine($"FAIL: the load-only app loaded {string.Join(", ", heavy)}");
    return 3;
}
return 0;

public sealed class Row
{
    public float X1 { get; set; }
    public float X2 { get; set; }
    public float X3 { get; set; }
    public float X4 { get; set; }
}

public sealed class Prediction
{
    public bool PredictedLabel { get; set; }
    public float Score { get; set; }
    public float Probability { get; set; }

    /// <summary>One line per row; the same in TrainApp.cs.</summary>
    public static string Format(Row r, Prediction p) => string.Create(CultureInfo.InvariantCulture,
        $"{r.X1:R},{r.X2:R},{r.X3:R},{r.X4:R} -> label {p.PredictedLabel}, score {p.Score:R} ({BitConverter.SingleToInt32Bits(p.Score):X8}), probability {p.Probability:R} ({BitConverter.SingleToInt32Bits(p.Probability):X8})");
}
