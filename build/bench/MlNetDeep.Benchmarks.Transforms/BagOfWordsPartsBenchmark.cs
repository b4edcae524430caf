using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Tokenizers;
using MlNetDeep.BagOfWords;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// Where VectorizeBagOfWords' time goes on the SpamAssassin mails, one thread: the word scanner against the
/// RegexPreTokenizer it replaced (interleaved), vocabulary counting on one thread and on every core, the saved
/// transform chain stage by stage, and the fitted transformer's fused pass against that chain. Seconds are the
/// process's CPU time (best of 3), steadier than wall time on a shared machine, unless marked wall.
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
        double addOne = double.MaxValue, addAll = double.MaxValue, addAllWall = double.MaxValue, addOneWall = double.MaxValue, build = double.MaxValue;
        string[] vocabulary = Array.Empty<string>();
        for (int run = 0; run < 3; run++)
        {
            // one thread and every core, interleaved: CPU seconds and wall seconds of each
            foreach (int workers in new[] { 1, VocabularyBuilder.DefaultWordWorkers })
            {
                var wall = Stopwatch.StartNew();
                var clock = CpuClock.StartNew();
                var builder = new VocabularyBuilder(BagOfWordsTokenizer.Words, workers);
                builder.AddAll(data, "Text");
                double cpu = clock.Elapsed.TotalSeconds, elapsed = wall.Elapsed.TotalSeconds;
                if (workers == 1)
                    (addOne, addOneWall) = (Math.Min(addOne, cpu), Math.Min(addOneWall, elapsed));
                else
                    (addAll, addAllWall) = (Math.Min(addAll, cpu), Math.Min(addAllWall, elapsed));
                clock.Restart();
                vocabulary = builder.Build(10_000, 1).Tokens;
                build = Math.Min(build, clock.Elapsed.TotalSeconds);
            }
        }
        Console.WriteLine($"vocabulary counting, 1 thread:  {addOne:F3} CPU-s, {addOneWall:F3} s wall");
        Console.WriteLine($"vocabulary counting, {Environment.ProcessorCount} cores:   {addAll:F3} CPU-s, {addAllWall:F3} s wall; top-10,000 selection {build:F3} s");
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
            double fit = double.MaxValue, fused = double.MaxValue, chain = double.MaxValue;
            for (int run = 0; run < 3; run++)
            {
                var clock = CpuClock.StartNew();
                var model = estimator.Fit(data);
                fit = Math.Min(fit, clock.Elapsed.TotalSeconds);
                // the fitted transformer's fused pass, then the saved chain a loaded model runs, interleaved
                clock.Restart();
                ReadAll(model.Transform(data));
                fused = Math.Min(fused, clock.Elapsed.TotalSeconds);
                clock.Restart();
                ReadAll(model.Inner.Transform(data));
                chain = Math.Min(chain, clock.Elapsed.TotalSeconds);
            }
            Console.WriteLine($"VectorizeBagOfWords {mode}: fit {fit:F3} s, transform {fused:F3} s (fused; the saved chain, as a loaded model runs it: {chain:F3} s)");
        }
    }

    private static void ReadAll(IDataView output)
    {
        using var cursor = output.GetRowCursor(new[] { output.Schema["Bag"] });
        var getter = cursor.GetGetter<VBuffer<float>>(output.Schema["Bag"]);
        VBuffer<float> v = default;
        while (cursor.MoveNext())
            getter(ref v);
    }

    private sealed class Term
    {
        public string Value { get; set; } = "";
    }
}
