// Consumer test (b2): the Program.cs of a fresh net8.0 console app that references MlNetDeep.Core and
// MlNetDeep.Transforms (what a load-only app needs for a model with a bag of words), published self-contained for
// linux-x64 so it runs on .NET 8. It scores the training app's texts with the loaded text model, and fits the same
// bag of words on the same texts on .NET 8 (Transforms' net8.0 build counts tokens by another path than net10.0's);
// build/consumer-test.sh compares both outputs with the training app's.
// Usage: TextApp TEXT-MODEL.zip TEXTS.txt OUTDIR  -> OUTDIR/text-actual.txt, OUTDIR/vocabulary-net8.txt
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.ML;
using MlNetDeep;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: TextApp TEXT-MODEL.zip TEXTS.txt OUTDIR");
    return 2;
}
var ml = new MLContext();
var texts = File.ReadAllLines(args[1]).Select(t => new TextRow { Text = t }).ToList();
ITransformer model = ml.Model.Load(args[0], out _);
using (var engine = ml.Model.CreatePredictionEngine<TextRow, Prediction>(model))
    File.WriteAllLines(Path.Combine(args[2], "text-actual.txt"), texts.Take(40).Select(t => Prediction.Format(t.Text, engine.Predict(t))));

var bag = ml.Transforms.Text.VectorizeBagOfWords("Features", nameof(TextRow.Text), maximumVocabularySize: 25).Fit(ml.Data.LoadFromEnumerable(texts));
File.WriteAllLines(Path.Combine(args[2], "vocabulary-net8.txt"), bag.Vocabulary.Select((t, i) => $"{t} {bag.TokenCounts[i]} {bag.DocumentFrequencies[i]}"));
Console.WriteLine($"{RuntimeInformation.FrameworkDescription}: 40 text predictions and a {bag.Vocabulary.Count}-token vocabulary");

var heavy = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name ?? "")
    .Where(n => n.Contains("TorchSharp", StringComparison.OrdinalIgnoreCase) || n.Contains("OnnxRuntime", StringComparison.OrdinalIgnoreCase) || n == "MlNetDeep.Trainers")
    .ToArray();
if (heavy.Length > 0)
{
    Console.Error.WriteLine($"FAIL: the load-only app loaded {string.Join(", ", heavy)}");
    return 3;
}
return 0;

public sealed class TextRow
{
    public string Text { get; set; } = "";
}

public sealed class Prediction
{
    public bool PredictedLabel { get; set; }
    public float Score { get; set; }
    public float Probability { get; set; }

    /// <summary>One line per text; the same in TrainApp.cs.</summary>
    public static string Format(string input, Prediction p) => string.Create(CultureInfo.InvariantCulture,
        $"{input} -> label {p.PredictedLabel}, score {p.Score:R} ({BitConverter.SingleToInt32Bits(p.Score):X8}), probability {p.Probability:R} ({BitConverter.SingleToInt32Bits(p.Probability):X8})");
}
