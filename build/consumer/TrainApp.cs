// Consumer test (a): the Program.cs of a fresh net10.0 console app that references the packages as the README says
// (MlNetDeep.Trainers, libtorch-cpu-linux-x64, MlNetDeep.Transforms, MlNetDeep.Evaluation). build/consumer-test.sh
// copies it into an app created with `dotnet new console` outside the repository.
// Usage: TrainApp OUTDIR  -> OUTDIR/model.zip, probe.csv (rows to score), expected.txt (their predictions);
//                            text-model.zip, texts.txt, text-expected.txt (first 40 texts), vocabulary.txt
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep;

string outDir = args.Length > 0 ? args[0] : ".";
Directory.CreateDirectory(outDir);
var ml = new MLContext(seed: 1);

// synthetic binary task: the label is a noisy linear rule of four features
var random = new Random(7);
var rows = Enumerable.Range(0, 1000).Select(_ =>
{
    var x = Enumerable.Range(0, 4).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    double margin = 1.5 * x[0] - x[1] + 0.5 * x[2] * x[3] + 0.2 * (random.NextDouble() - 0.5);
    return new Row { X1 = x[0], X2 = x[1], X3 = x[2], X4 = x[3], Label = margin > 0 };
}).ToList();
IDataView data = ml.Data.LoadFromEnumerable(rows);

// MlNetDeep.Evaluation: a seeded, stratified split
var sets = ml.Data.TrainValidationTestSplit(data, validationFraction: 0, testFraction: 0.2, stratificationColumnName: "Label", seed: 1);

// MlNetDeep.Trainers: a dense network with a validation split and early stopping
var pipeline = ml.Transforms.Concatenate("Features", nameof(Row.X1), nameof(Row.X2), nameof(Row.X3), nameof(Row.X4))
    .Append(ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions
    {
        HiddenLayerSizes = new[] { 16 },
        Epochs = 40,
        BatchSize = 32,
        LearningRate = 0.01,
        ValidationFraction = 0.2,
        EarlyStopping = new EarlyStoppingOptions { Patience = 5, RestoreBestWeights = true },
        Seed = 1,
    }));
var model = pipeline.Fit(sets.TrainSet);
var history = ((DenseNetworkTransformer)model.LastTransformer).History;
Console.WriteLine($"history: {history}");
var metrics = ml.BinaryClassification.Evaluate(model.Transform(sets.TestSet));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy {metrics.Accuracy:F3}, AUC {metrics.AreaUnderRocCurve:F3}"));
if (metrics.Accuracy < 0.85)
{
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"FAIL: the network did not learn the rule (test accuracy {metrics.Accuracy:F3} < 0.85)"));
    return 1;
}

string zip = Path.Combine(outDir, "model.zip");
ml.Model.Save(model, data.Schema, zip);

// the rows the load-only app scores, and what this process predicts for them
var probe = ml.Data.CreateEnumerable<Row>(sets.TestSet, reuseRowObject: false).Take(50).ToList();
using (var engine = ml.Model.CreatePredictionEngine<Row, Prediction>(model))
{
    File.WriteAllLines(Path.Combine(outDir, "probe.csv"), probe.Select(r => string.Join(",", new[] { r.X1, r.X2, r.X3, r.X4 }.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))).Prepend("X1,X2,X3,X4"));
    File.WriteAllLines(Path.Combine(outDir, "expected.txt"), probe.Select(r => Prediction.Format(r, engine.Predict(r))));
}
Console.WriteLine($"saved {zip} and {probe.Count} reference predictions");

// MlNetDeep.Transforms: a text model (bag of words + network) for the load-only app that adds MlNetDeep.Transforms
string[] spam = { "free", "money", "win", "prize", "offer", "cash", "click", "now", "winner", "bonus" };
string[] ham = { "meeting", "lunch", "report", "project", "team", "schedule", "review", "notes", "agenda", "budget" };
string[] neutral = { "the", "a", "of", "to", "and", "in", "for", "you", "we", "this", "today", "please" };
var texts = Enumerable.Range(0, 600).Select(i =>
{
    bool isSpam = i % 2 == 0;
    var words = Enumerable.Range(0, 4 + random.Next(12)).Select(_ => random.Next(3) switch
    {
        0 => neutral[random.Next(neutral.Length)],
        1 => (isSpam ? spam : ham)[random.Next(10)],
        _ => random.Next(5) == 0 ? (isSpam ? ham : spam)[random.Next(10)] : neutral[random.Next(neutral.Length)],
    });
    return new TextRow { Text = string.Join(' ', words) + (random.Next(4) == 0 ? "!" : ""), Label = isSpam };
}).ToList();
File.WriteAllLines(Path.Combine(outDir, "texts.txt"), texts.Select(t => t.Text));
IDataView textData = ml.Data.LoadFromEnumerable(texts);
var textModel = ml.Transforms.Text.VectorizeBagOfWords("Features", nameof(TextRow.Text), maximumVocabularySize: 25)
    .Append(ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions { HiddenLayerSizes = new[] { 8 }, Epochs = 15, LearningRate = 0.01, Seed = 1 }))
    .Fit(textData);
var bag = (BagOfWordsTransformer)textModel.First();
File.WriteAllLines(Path.Combine(outDir, "vocabulary.txt"), bag.Vocabulary.Select((t, i) => $"{t} {bag.TokenCounts[i]} {bag.DocumentFrequencies[i]}"));
Console.WriteLine($"vocabulary: {string.Join(" ", bag.Vocabulary.Take(8))} … ({bag.Vocabulary.Count} tokens)");
ml.Model.Save(textModel, textData.Schema, Path.Combine(outDir, "text-model.zip"));
using (var engine = ml.Model.CreatePredictionEngine<TextRow, Prediction>(textModel))
    File.WriteAllLines(Path.Combine(outDir, "text-expected.txt"), texts.Take(40).Select(t => Prediction.Format(t.Text, engine.Predict(t))));
return 0;

public sealed class Row
{
    public float X1 { get; set; }
    public float X2 { get; set; }
    public float X3 { get; set; }
    public float X4 { get; set; }
    public bool Label { get; set; }
}

public sealed class TextRow
{
    public string Text { get; set; } = "";
    public bool Label { get; set; }
}

public sealed class Prediction
{
    public bool PredictedLabel { get; set; }
    public float Score { get; set; }
    public float Probability { get; set; }

    /// <summary>One line per row; the same in LoadApp.cs and TextApp.cs. Scores as round-trip text and as their exact bits.</summary>
    public static string Format(Row r, Prediction p) => Format(string.Create(CultureInfo.InvariantCulture, $"{r.X1:R},{r.X2:R},{r.X3:R},{r.X4:R}"), p);

    public static string Format(string input, Prediction p) => string.Create(CultureInfo.InvariantCulture,
        $"{input} -> label {p.PredictedLabel}, score {p.Score:R} ({BitConverter.SingleToInt32Bits(p.Score):X8}), probability {p.Probability:R} ({BitConverter.SingleToInt32Bits(p.Probability):X8})");
}
