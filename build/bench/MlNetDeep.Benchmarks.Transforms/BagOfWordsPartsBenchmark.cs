using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Tokenizers;
using MlNetDeep.BagOfWords;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// Where VectorizeBagOfWords' time goes on the SpamAssassin mails, one thread: the word scanner against the
/// RegexPreTokenizer it replaced (interleaved), vocabulary counting, and the transform chain stage by stage.
/// Seconds are the process's CPU time (best of 3), steadier than wall time on a shared machine.
/// </summary>
internal static class BagOfWordsPartsBenchmark
{
    public static void Run(string? folder)
    {
        var mails = BagOfWordsBenchmark.Mails(folder ?? BagOfWordsBenchmark.DefaultFolder);
        var regex = new RegexPreTokenizer(new Regex(@"[\p{L}\p{M}\p{N}]+", RegexOptions.CultureInvariant | RegexOptions.Compiled), null);
        double scan = double.MaxValue, reference = double.MaxValue, lower = double.MaxValue;
        long tokens = 0;
        for (int run = 0; run < 3; run++)
        {
            var clock = CpuClock.StartNew();
            tokens = 0;
            foreach (var m in mails)
                tokens += Tokenization.Words(m.Text.AsMemory()).Length;
            scan = Math.Min(scan, clock.Elapsed.TotalSeconds);
            clock.Restart();
            foreach (var m in mails)
            {
                var l = m.Text.ToLowerInvariant();
                foreach (var _ in regex.PreTokenize(l)) { }
            }
            reference = Math.Min(reference, clock.Elapsed.TotalSeconds);
            clock.Restart();
            foreach (var m in mails)
                _ = m.Text.ToLowerInvariant();
            lower = Math.Min(lower, clock.Elapsed.TotalSeconds);
        }
        Console.WriteLine($"{tokens} word tokens; lower-casing alone {lower:F3} s");
        Console.WriteLine($"Words (scanner):            {scan:F3} s ({mails.Length / scan:F0} docs/s)");
        Console.WriteLine($"lower + RegexPreTokenizer:  {reference:F3} s ({mails.Length / reference:F0} docs/s); ratio {reference / scan:F2}x");

        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(mails);
        double add = double.MaxValue, build = double.MaxValue;
        string[] vocabulary = Array.Empty<string>();
        for (int run = 0; run < 3; run++)
        {
            var clock = CpuClock.StartNew();
            var builder = new VocabularyBuilder(BagOfWordsTokenizer.Words);
            builder.AddAll(data, "Text");
            add = Math.Min(add, clock.Elapsed.TotalSeconds);
            clock.Restart();
            vocabulary = builder.Build(10_000, 1).Tokens;
            build = Math.Min(build, clock.Elapsed.TotalSeconds);
        }
        Console.WriteLine($"vocabulary: counting {add:F3} s ({Environment.ProcessorCount} cores), top-10,000 selection {build:F3} s");
        var keyData = ml.Data.LoadFromEnumerable(vocabulary.Select(t => new Term { Value = t }));
        var stages = new (string Name, IEstimator<ITransformer> Estimator)[]
        {
            ("copy", ml.Transforms.CopyColumns(Tokenization.TextColumn, "Text")),
            ("+ tokenize", ml.Transforms.CopyColumns(Tokenization.TextColumn, "Text")
                .Append(ml.Transforms.CustomMapping<TextInput, TokensOutput>(Tokenization.MapWords, Tokenization.WordsContract))),
            ("+ distinct", ml.Transforms.CopyColumns(Tokenization.TextColumn, "Text")
                .Append(ml.Transforms.CustomMapping<TextInput, TokensOutput>(Tokenization.MapWords, Tokenization.WordsContract))
                .Append(ml.Transforms.CustomMapping<TokensInput, DistinctTokensOutput>(Tokenization.MapDistinct, Tokenization.DistinctContract))),
            ("+ keys", ml.Transforms.CopyColumns(Tokenization.TextColumn, "Text")
                .Append(ml.Transforms.CustomMapping<TextInput, TokensOutput>(Tokenization.MapWords, Tokenization.WordsContract))
                .Append(ml.Transforms.CustomMapping<TokensInput, DistinctTokensOutput>(Tokenization.MapDistinct, Tokenization.DistinctContract))
                .Append(ml.Transforms.Conversion.MapValueToKey(Tokenization.KeysColumn, Tokenization.DistinctTokensColumn, keyData: keyData))),
            ("+ vector", ml.Transforms.CopyColumns(Tokenization.TextColumn, "Text")
                .Append(ml.Transforms.CustomMapping<TextInput, TokensOutput>(Tokenization.MapWords, Tokenization.WordsContract))
                .Append(ml.Transforms.CustomMapping<TokensInput, DistinctTokensOutput>(Tokenization.MapDistinct, Tokenization.DistinctContract))
                .Append(ml.Transforms.Conversion.MapValueToKey(Tokenization.KeysColumn, Tokenization.DistinctTokensColumn, keyData: keyData))
                .Append(ml.Transforms.Conversion.MapKeyToVector("Bag", Tokenization.KeysColumn, outputCountVector: true))),
        };
        foreach (var (name, estimator) in stages)
        {
            var model = estimator.Fit(data);
            double best = double.MaxValue;
            for (int run = 0; run < 3; run++)
            {
                var clock = CpuClock.StartNew();
                var output = model.Transform(data);
                var column = output.Schema[output.Schema.Count - 1];
                using var cursor = output.GetRowCursor(new[] { column });
                if (column.Type is VectorDataViewType { ItemType: KeyDataViewType })
                {
                    var getter = cursor.GetGetter<VBuffer<uint>>(column);
                    VBuffer<uint> v = default;
                    while (cursor.MoveNext()) getter(ref v);
                }
                else if (column.Type is VectorDataViewType { ItemType: NumberDataViewType })
                {
                    var getter = cursor.GetGetter<VBuffer<float>>(column);
                    VBuffer<float> v = default;
                    while (cursor.MoveNext()) getter(ref v);
                }
                else if (column.Type is VectorDataViewType)
                {
                    var getter = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(column);
                    VBuffer<ReadOnlyMemory<char>> v = default;
                    while (cursor.MoveNext()) getter(ref v);
                }
                else
                {
                    var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
                    ReadOnlyMemory<char> v = default;
                    while (cursor.MoveNext()) getter(ref v);
                }
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
            }
            Console.WriteLine($"transform stage {name,-12} {best:F3} s");
        }
        foreach (var mode in new[] { BagOfWordsMode.MultiHot, BagOfWordsMode.Counts })
        {
            var estimator = ml.Transforms.Text.VectorizeBagOfWords(new BagOfWordsOptions { OutputColumnName = "Bag", InputColumnName = "Text", Mode = mode });
            double fit = double.MaxValue, transform = double.MaxValue;
            for (int run = 0; run < 3; run++)
            {
                var clock = CpuClock.StartNew();
                var model = estimator.Fit(data);
                fit = Math.Min(fit, clock.Elapsed.TotalSeconds);
                clock.Restart();
                var output = model.Transform(data);
                using var cursor = output.GetRowCursor(new[] { output.Schema["Bag"] });
                var getter = cursor.GetGetter<VBuffer<float>>(output.Schema["Bag"]);
                VBuffer<float> v = default;
                while (cursor.MoveNext()) getter(ref v);
                transform = Math.Min(transform, clock.Elapsed.TotalSeconds);
            }
            Console.WriteLine($"VectorizeBagOfWords {mode}: fit {fit:F3} s, transform {transform:F3} s");
        }
    }

    private sealed class Term
    {
        public string Value { get; set; } = "";
    }
}
