using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Tokenizers;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// One document that is a single run of letters (and one of spaces), tokenized with cl100k_base: Tiktoken on the whole
/// text (what the Cl100kBase bag-of-words did before long runs were cut), and VectorizeBagOfWords(Cl100kBase): Fit on
/// the document, then one PredictionEngine call on it. Best of 2; seconds.
/// </summary>
internal static class TokenizerBenchmark
{
    public static void Run()
    {
        var tiktoken = TiktokenTokenizer.CreateForEncoding("cl100k_base");
        tiktoken.EncodeToTokens("warm up", out _);
        foreach (int n in new[] { 20_000, 40_000, 80_000, 160_000 })
        {
            string text = new('a', n);
            double best = Best(() => tiktoken.EncodeToTokens(text, out _));
            Console.WriteLine($"Tiktoken, whole text, {n,7} letters: {best,7:F3} s");
        }
        var ml = new MLContext(seed: 1);
        var options = new BagOfWordsOptions { OutputColumnName = "Bag", InputColumnName = "Text", Tokenizer = BagOfWordsTokenizer.Cl100kBase, Mode = BagOfWordsMode.Counts };
        foreach (var (name, unit) in new[] { ("letters", 'a'), ("spaces", ' ') })
        {
            foreach (int n in new[] { 160_000, 320_000, 640_000 })
            {
                var doc = new Doc { Text = "start " + new string(unit, n) + " end" };
                var data = ml.Data.LoadFromEnumerable(new[] { doc });
                BagOfWordsTransformer model = null!;
                double fit = Best(() => model = ml.Transforms.Text.VectorizeBagOfWords(options).Fit(data));
                using var engine = ml.Model.CreatePredictionEngine<Doc, BagRow>(model);
                double predict = Best(() => engine.Predict(doc));
                Console.WriteLine($"VectorizeBagOfWords(Cl100kBase), {n,7} {name,-7}: fit {fit,6:F3} s, PredictionEngine {predict,6:F3} s");
            }
        }
    }

    private static double Best(Action action)
    {
        double best = double.MaxValue;
        for (int run = 0; run < 2; run++)
        {
            var clock = Stopwatch.StartNew();
            action();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return best;
    }

    private sealed class Doc
    {
        public string Text { get; set; } = "";
    }

    private sealed class BagRow
    {
        public float[] Bag { get; set; } = Array.Empty<float>();
    }
}
