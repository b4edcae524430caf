using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.BagOfWords;

namespace MlNetDeep.Transforms.Tests;

/// <summary>
/// The fitted vectorizer's fused transform path (one pass per row) gives the vectors of the chain of standard ML.NET
/// transforms it saves, which is what a loaded model runs: the same indices and the same Single bits on real mails.
/// </summary>
[TestClass]
public sealed class FusedBagOfWordsTests
{
    private static readonly Lazy<string[]> Mails = new(() =>
        Directory.EnumerateDirectories(WordTokenizerTests.SpamAssassinFolder()).SelectMany(d => Directory.EnumerateFiles(d, "*.txt"))
            .Order(StringComparer.Ordinal).Select(File.ReadAllText).ToArray());

    [TestMethod]
    [DataRow(BagOfWordsMode.MultiHot, BagOfWordsTokenizer.Words, false, 10_000)]
    [DataRow(BagOfWordsMode.Counts, BagOfWordsTokenizer.Words, true, 10_000)]
    [DataRow(BagOfWordsMode.TfIdf, BagOfWordsTokenizer.Words, false, 10_000)]
    [DataRow(BagOfWordsMode.MultiHot, BagOfWordsTokenizer.Words, false, 1_000_000)]
    [DataRow(BagOfWordsMode.TfIdf, BagOfWordsTokenizer.Cl100kBase, true, 5_000)]
    public void Transform_SpamAssassinMails_GivesTheSavedChainsVectors(BagOfWordsMode mode, BagOfWordsTokenizer tokenizer, bool removeStopWords, int vocabularySize)
    {
        // Tiktoken is slow: its case runs on every fourth mail
        var mails = tokenizer == BagOfWordsTokenizer.Words ? Mails.Value : Mails.Value.Where((_, i) => i % 4 == 0).ToArray();
        Assert.IsTrue(mails.Length > 1500, $"{mails.Length} mails");
        var ml = new MLContext(seed: 1);
        // fit on every other mail, so the other half brings tokens outside the vocabulary
        var fitting = ml.Data.LoadFromEnumerable(mails.Where((_, i) => i % 2 == 0).Select(t => new Mail { Text = t, Label = t.Length % 3 == 0 }).ToArray());
        var all = ml.Data.LoadFromEnumerable(mails.Select(t => new Mail { Text = t, Label = t.Length % 3 == 0 }).ToArray());
        var model = ml.Transforms.Text.VectorizeBagOfWords(new BagOfWordsOptions
        {
            OutputColumnName = "Bag", InputColumnName = "Text", Mode = mode, Tokenizer = tokenizer, RemoveStopWords = removeStopWords, MaximumVocabularySize = vocabularySize,
        }).Fit(fitting);

        var fused = model.Transform(all);
        var chain = model.Inner.Transform(all);

        Assert.IsInstanceOfType<FusedBagView>(fused, "the fused path is the one under test");
        Assert.AreEqual(chain.Schema["Bag"].Type, fused.Schema["Bag"].Type);
        CollectionAssert.AreEqual(TestData.SlotNames(chain.Schema["Bag"]), TestData.SlotNames(fused.Schema["Bag"]));
        var expected = Rows(chain);
        var actual = Rows(fused);
        Assert.AreEqual(mails.Length, actual.Count);
        long entries = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            if (expected[i] != actual[i])
                Assert.Fail($"mail {i}: {FirstDifference(expected[i], actual[i])}");
            entries += expected[i].Count(c => c == ' ');
        }
        Assert.IsTrue(entries > 50 * mails.Length, $"{entries} non-zero slots compared");
    }

    [TestMethod]
    [DataRow(BagOfWordsMode.TfIdf, false)]
    [DataRow(BagOfWordsMode.Counts, true)]
    public void Fit_WordsCountedOnAnyNumberOfThreads_GivesTheOneThreadVocabularyAndVectors_BitForBit(BagOfWordsMode mode, bool removeStopWords)
    {
        // every mail, plus empty texts and one long document among them; the vectors of every mail, whose idf weights
        // (TF-IDF) carry the document frequencies and whose slot order carries the counts
        var texts = Mails.Value.SelectMany((t, i) => i % 700 == 0 ? new[] { "", t } : new[] { t })
            .Append(string.Concat(Enumerable.Repeat("Long text, LONGER text ", 100_000))).ToArray();
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(texts.Select(t => new Mail { Text = t }).ToArray());
        var options = new BagOfWordsOptions { OutputColumnName = "Bag", InputColumnName = "Text", Mode = mode, RemoveStopWords = removeStopWords, MaximumVocabularySize = 20_000 };

        var one = new BagOfWordsEstimator(options) { WordWorkers = 1 }.Fit(data);
        var expected = Rows(one.Transform(data));

        Assert.AreEqual(20_000, one.Vocabulary.Count);
        Assert.AreEqual(texts.Length, one.DocumentCount);
        foreach (int workers in new[] { 2, 3, 5, 8 })
        {
            var model = new BagOfWordsEstimator(options) { WordWorkers = workers }.Fit(data);

            CollectionAssert.AreEqual(one.Vocabulary.ToArray(), model.Vocabulary.ToArray(), $"{workers} threads: vocabulary");
            CollectionAssert.AreEqual(one.TokenCounts.ToArray(), model.TokenCounts.ToArray(), $"{workers} threads: counts");
            CollectionAssert.AreEqual(one.DocumentFrequencies.ToArray(), model.DocumentFrequencies.ToArray(), $"{workers} threads: document frequencies");
            CollectionAssert.AreEqual(one.InverseDocumentFrequencies.ToArray(), model.InverseDocumentFrequencies.ToArray(), $"{workers} threads: idf");
            Assert.AreEqual(one.OutOfVocabularyTokenCount, model.OutOfVocabularyTokenCount, $"{workers} threads: out of vocabulary");
            Assert.AreEqual(one.DocumentCount, model.DocumentCount, $"{workers} threads: documents");
            var actual = Rows(model.Transform(data));
            Assert.AreEqual(expected.Count, actual.Count);
            for (int i = 0; i < expected.Count; i++)
            {
                if (expected[i] != actual[i])
                    Assert.Fail($"{workers} threads, text {i}: {FirstDifference(expected[i], actual[i])}");
            }
        }
    }

    [TestMethod]
    public void CursorSetAndShuffledCursor_GiveEachRowItsOwnVector_AndPassOtherColumnsThrough()
    {
        var mails = Mails.Value.Take(800).ToArray();
        var ml = new MLContext(seed: 1);
        var data = ml.Data.Cache(ml.Data.LoadFromEnumerable(mails.Select((t, i) => new Mail { Text = t, Label = i % 3 == 0 }).ToArray()));
        var model = ml.Transforms.Text.VectorizeBagOfWords(new BagOfWordsOptions { OutputColumnName = "Bag", InputColumnName = "Text", Mode = BagOfWordsMode.Counts }).Fit(data);
        var fused = model.Transform(data);
        var chain = model.Inner.Transform(data);
        var byId = ById(new[] { chain.GetRowCursor(Needed(chain)) });

        var fromSet = ById(fused.GetRowCursorSet(Needed(fused), 2));
        var shuffled = ById(new[] { fused.GetRowCursor(Needed(fused), new Random(3)) });

        Assert.IsTrue(fused.CanShuffle);
        Assert.AreEqual(mails.Length, byId.Count);
        CollectionAssert.AreEquivalent(byId.ToArray(), fromSet.ToArray());
        CollectionAssert.AreEquivalent(byId.ToArray(), shuffled.ToArray());
        Assert.AreEqual(mails.Length / 3 + 1, byId.Values.Count(v => v.StartsWith("True", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void ReadAheadCursor_EveryColumnKind_GivesTheOneThreadCursorsRows()
    {
        // the read-ahead cursor keeps a block of rows: numbers, booleans, keys, text (the input's and another) and
        // vectors come back for the right row, ids included, with a shuffled cursor too and with the cursor left early
        var mails = Mails.Value;
        var ml = new MLContext(seed: 1);
        var rows = mails.Select((t, i) => new Typed
        {
            Text = t, Other = $"row {i}", Label = i % 3 == 0, Number = i * 0.5f, Count = i, Values = new[] { i, -i, i % 7 },
        }).ToArray();
        var data = ml.Transforms.Conversion.MapValueToKey("Key", "Other").Fit(ml.Data.LoadFromEnumerable(rows)).Transform(ml.Data.LoadFromEnumerable(rows));
        var model = ml.Transforms.Text.VectorizeBagOfWords(new BagOfWordsOptions { OutputColumnName = "Bag", InputColumnName = "Text", Mode = BagOfWordsMode.Counts }).Fit(data);
        model.AlwaysReadAhead = true; // two threads even on a busy machine
        var readAhead = model.Transform(data);
        model.ReadAhead = false;
        var oneThread = model.Transform(data);
        var columns = new[] { "Text", "Other", "Label", "Number", "Count", "Values", "Key", "Bag" };

        using (var cursor = readAhead.GetRowCursor(readAhead.Schema.Where(c => columns.Contains(c.Name))))
            Assert.IsInstanceOfType<ReadAheadBagCursor>(cursor, "the read-ahead path is the one under test");
        using (var cursor = oneThread.GetRowCursor(oneThread.Schema.Where(c => columns.Contains(c.Name))))
            Assert.IsNotInstanceOfType<ReadAheadBagCursor>(cursor);
        var expected = AllColumns(oneThread, columns, null, int.MaxValue);
        CollectionAssert.AreEqual(expected, AllColumns(readAhead, columns, null, int.MaxValue));
        Assert.AreEqual(mails.Length, expected.Count);
        CollectionAssert.AreEquivalent(expected, AllColumns(readAhead, columns, new Random(4), int.MaxValue));
        CollectionAssert.AreEqual(expected.Take(1000).ToList(), AllColumns(readAhead, columns, null, 1000));
        CollectionAssert.AreEqual(expected.Select(r => r.Split('|')[^1]).ToList(), AllColumns(readAhead, new[] { "Bag" }, null, int.MaxValue).Select(r => r.Split('|')[^1]).ToList());
    }

    [TestMethod]
    public void ReadAheadCursor_TextsInABufferTheSourceReuses_AreCopiedBeforeTheNextRowOverwritesThem()
    {
        var mails = Mails.Value.Take(1500).ToArray();
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(ReusedBufferRows.InOneReusedBuffer(mails));
        var model = ml.Transforms.Text.VectorizeBagOfWords("Bag", "Text").Fit(data);
        model.AlwaysReadAhead = true;

        var readAhead = AllColumns(model.Transform(data), new[] { "Text", "Bag" }, null, int.MaxValue);
        model.ReadAhead = false;
        var oneThread = AllColumns(model.Transform(data), new[] { "Text", "Bag" }, null, int.MaxValue);

        CollectionAssert.AreEqual(oneThread, readAhead);
        Assert.AreEqual(mails.Length, readAhead.Count);
        Assert.AreEqual(mails.Length, readAhead.Select(r => r.Split('|')[1]).Distinct().Count(), "every row keeps its own text");
    }

    /// <summary>Each row as its id, every asked column's value and the vector, read through the column's getter (twice for the vector).</summary>
    private static List<string> AllColumns(IDataView data, string[] names, Random? random, int take)
    {
        var columns = data.Schema.Where(c => names.Contains(c.Name)).ToArray();
        var rows = new List<string>();
        using var cursor = data.GetRowCursor(columns, random);
        var id = cursor.GetIdGetter();
        var getters = columns.Select(c => Reader(cursor, c)).ToArray();
        DataViewRowId rowId = default;
        while (rows.Count < take && cursor.MoveNext())
        {
            id(ref rowId);
            rows.Add(rowId + "|" + string.Join("|", getters.Select(g => g())) + "|" + getters[^1]());
        }
        return rows;
    }

    private static Func<string> Reader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        if (column.Name == "Bag")
        {
            var g = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> v = default;
            return () => { g(ref v); return Format(v); };
        }
        if (column.Type is VectorDataViewType)
        {
            var g = cursor.GetGetter<VBuffer<int>>(column);
            VBuffer<int> v = default;
            return () => { g(ref v); return string.Join(",", v.DenseValues()); };
        }
        return column.Type.RawType switch
        {
            var t when t == typeof(ReadOnlyMemory<char>) => Scalar<ReadOnlyMemory<char>>(cursor, column),
            var t when t == typeof(bool) => Scalar<bool>(cursor, column),
            var t when t == typeof(float) => Scalar<float>(cursor, column),
            var t when t == typeof(int) => Scalar<int>(cursor, column),
            var t when t == typeof(uint) => Scalar<uint>(cursor, column),
            var t => throw new AssertFailedException($"no reader for {t}"),
        };
    }

    private static Func<string> Scalar<T>(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var g = cursor.GetGetter<T>(column);
        T v = default!;
        return () => { g(ref v); return v!.ToString()!; };
    }

    private sealed class Typed
    {
        public string Text { get; set; } = "";

        public string Other { get; set; } = "";

        public bool Label { get; set; }

        public float Number { get; set; }

        public int Count { get; set; }

        [VectorType(3)]
        public int[] Values { get; set; } = Array.Empty<int>();
    }

    [TestMethod]
    public void Transform_VectorInPlaceOfTheText_IsTheChainsOutput()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Mails.Value.Take(50).Select(t => new Mail { Text = t }).ToArray());
        var model = ml.Transforms.Text.VectorizeBagOfWords("Text").Fit(data);

        var output = model.Transform(data);

        Assert.IsNotInstanceOfType<FusedBagView>(output, "the text column is gone from the output: nothing to read it from");
        CollectionAssert.AreEqual(Rows(model.Inner.Transform(data), "Text"), Rows(output, "Text"));
    }

    [TestMethod]
    public void Getter_OfAnotherType_ThrowsNamingTheColumn()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new Mail { Text = "a b" } });
        var output = ml.Transforms.Text.VectorizeBagOfWords("Bag", "Text").Fit(data).Transform(data);
        using var cursor = output.GetRowCursor(new[] { output.Schema["Bag"] });

        var e = Assert.ThrowsExactly<InvalidOperationException>(() => cursor.GetGetter<VBuffer<double>>(output.Schema["Bag"]));

        StringAssert.Contains(e.Message, "'Bag'");
    }

    [TestMethod]
    public void Transform_NullInput_ThrowsArgumentNullException()
    {
        var ml = new MLContext(seed: 1);
        var model = ml.Transforms.Text.VectorizeBagOfWords("Bag", "Text").Fit(ml.Data.LoadFromEnumerable(new[] { new Mail { Text = "a b" } }));

        var e = Assert.ThrowsExactly<ArgumentNullException>(() => model.Transform(null!));

        Assert.AreEqual("input", e.ParamName);
    }

    private static DataViewSchema.Column[] Needed(IDataView data) => data.Schema.Where(c => c.Name is "Bag" or "Label").ToArray();

    /// <summary>"label index:value-bits ..." per row id (the row's label and its non-zero slots, in slot order).</summary>
    private static Dictionary<DataViewRowId, string> ById(DataViewRowCursor[] cursors)
    {
        var rows = new Dictionary<DataViewRowId, string>();
        foreach (var cursor in cursors)
        {
            using (cursor)
            {
                var id = cursor.GetIdGetter();
                var label = cursor.GetGetter<bool>(cursor.Schema["Label"]);
                var bag = cursor.GetGetter<VBuffer<float>>(cursor.Schema["Bag"]);
                DataViewRowId rowId = default;
                bool l = false;
                VBuffer<float> v = default;
                while (cursor.MoveNext())
                {
                    id(ref rowId);
                    label(ref l);
                    bag(ref v);
                    rows.Add(rowId, l + Format(v));
                }
            }
        }
        return rows;
    }

    /// <summary>Each row as its length and its non-zero slots with their values' bit patterns, in slot order.</summary>
    private static List<string> Rows(IDataView data, string column = "Bag")
    {
        var rows = new List<string>();
        using var cursor = data.GetRowCursor(new[] { data.Schema[column] });
        var getter = cursor.GetGetter<VBuffer<float>>(data.Schema[column]);
        VBuffer<float> v = default;
        while (cursor.MoveNext())
        {
            getter(ref v);
            rows.Add(Format(v));
        }
        return rows;
    }

    private static string Format(VBuffer<float> v) =>
        v.Length + string.Concat(v.Items().Where(p => p.Value != 0).OrderBy(p => p.Key).Select(p => $" {p.Key}:{BitConverter.SingleToInt32Bits(p.Value)}"));

    private static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split(' ');
        var a = actual.Split(' ');
        int at = e.Zip(a).TakeWhile(p => p.First == p.Second).Count();
        return $"{e.Length - 1} entries in the chain's row, {a.Length - 1} in the fused one; first difference at entry {at}: "
            + $"chain '{(at < e.Length ? e[at] : "(end)")}', fused '{(at < a.Length ? a[at] : "(end)")}'";
    }

    private sealed class Mail
    {
        public string Text { get; set; } = "";

        public bool Label { get; set; }
    }
}
