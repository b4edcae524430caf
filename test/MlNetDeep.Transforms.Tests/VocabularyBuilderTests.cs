using Microsoft.ML;
using MlNetDeep.BagOfWords;

namespace MlNetDeep.Transforms.Tests;

/// <summary>The streaming word count gives the counts of tokenizing every document with <see cref="Tokenization.Words"/>.</summary>
[TestClass]
public sealed class VocabularyBuilderTests
{
    [TestMethod]
    public void Words_CountsAndDocumentFrequencies_EqualThoseOfTheTokenizedDocuments()
    {
        var random = new Random(5);
        string[] words = { "the", "The", "THE", "cat", "Cat", "é", "É", "x²", "日本", "a", "b", "c", "d" };
        var texts = Enumerable.Range(0, 3000)
            .Select(i => i % 97 == 0 ? "" : string.Join(random.Next(3) == 0 ? ", " : " ", Enumerable.Range(0, random.Next(0, 30)).Select(_ => words[random.Next(words.Length)])))
            .Append(new string('Z', 10_000) + " the") // a document longer than the counting buffer's first size
            .ToArray();

        AssertCountsLikeTokenizedDocuments(texts);
    }

    [TestMethod]
    public void Words_OnTheSpamAssassinCorpus_CountLikeTheTokenizedDocuments()
    {
        var folder = WordTokenizerTests.SpamAssassinFolder();
        var texts = Directory.EnumerateDirectories(folder).SelectMany(d => Directory.EnumerateFiles(d, "*.txt")).Select(File.ReadAllText).ToArray();

        AssertCountsLikeTokenizedDocuments(texts);
    }

    [TestMethod]
    public void Words_CountedOnOneTwoOrThreeThreads_GiveTheSameVocabularyAndStatistics()
    {
        // the corpus (32 M characters: many blocks) with empty documents and a 3 M-character one among the mails
        var folder = WordTokenizerTests.SpamAssassinFolder();
        var texts = Directory.EnumerateDirectories(folder).SelectMany(d => Directory.EnumerateFiles(d, "*.txt")).Order(StringComparer.Ordinal).Select(File.ReadAllText)
            .SelectMany((t, i) => i % 500 == 0 ? new[] { "", t } : new[] { t })
            .Append(string.Concat(Enumerable.Repeat("Long text ", 300_000))).Append("").ToArray();
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(texts.Select(t => new TextRow { Text = t }));

        // and the same texts from a cursor that writes every row into one buffer it reuses (as a file reader may)
        var reused = ml.Data.LoadFromEnumerable(ReusedBufferRows.InOneReusedBuffer(texts));

        var results = new[] { (data, 1), (data, 2), (data, 3), (reused, 2) }.Select(run =>
        {
            var builder = new VocabularyBuilder(BagOfWordsTokenizer.Words, run.Item2);
            builder.AddAll(run.Item1, "Text");
            return (builder.Documents, Result: builder.Build(int.MaxValue, 1));
        }).ToArray();

        Assert.AreEqual(texts.Length, results[0].Documents);
        Assert.IsTrue(results[0].Result.Tokens.Length > 100_000, $"{results[0].Result.Tokens.Length} distinct words");
        Assert.IsTrue(results[0].Result.Counts[Array.IndexOf(results[0].Result.Tokens, "long")] >= 300_000, "the long document is counted");
        foreach (var (documents, (tokens, counts, documentFrequencies, outOfVocabulary)) in results.Skip(1))
        {
            Assert.AreEqual(results[0].Documents, documents);
            CollectionAssert.AreEqual(results[0].Result.Tokens, tokens);
            CollectionAssert.AreEqual(results[0].Result.Counts, counts);
            CollectionAssert.AreEqual(results[0].Result.DocumentFrequencies, documentFrequencies);
            Assert.AreEqual(results[0].Result.OutOfVocabulary, outOfVocabulary);
        }
    }

    [TestMethod]
    [DataRow(BagOfWordsTokenizer.Words)]
    [DataRow(BagOfWordsTokenizer.Cl100kBase)]
    public void Build_TiesAtTheCut_KeepsTheOrdinallyFirst_AndCountsTheRestOutOfVocabulary(BagOfWordsTokenizer tokenizer)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { "d b", "c a b a", "e", "" }.Select(t => new TextRow { Text = t }));
        var builder = new VocabularyBuilder(tokenizer);
        builder.AddAll(data, "Text");

        var (tokens, counts, documentFrequencies, outOfVocabulary) = builder.Build(3, 1);
        var (frequent, _, _, _) = builder.Build(10, 2);
        builder.Remove(new[] { "a", "zzz" });
        var (afterRemoval, _, _, outAfterRemoval) = builder.Build(3, 1);

        CollectionAssert.AreEqual(new[] { "a", "b", "c" }, tokens);
        CollectionAssert.AreEqual(new long[] { 2, 2, 1 }, counts);
        CollectionAssert.AreEqual(new long[] { 1, 2, 1 }, documentFrequencies);
        Assert.AreEqual(2, outOfVocabulary); // d and e
        CollectionAssert.AreEqual(new[] { "b" }, frequent);
        CollectionAssert.AreEqual(new[] { "b", "c", "d" }, afterRemoval);
        Assert.AreEqual(1, outAfterRemoval); // e; the removed a counts nowhere
        Assert.AreEqual(4, builder.Documents);
        CollectionAssert.AreEquivalent(new[] { "b", "c", "d", "e" }, builder.Tokens.ToArray());
    }

    private static void AssertCountsLikeTokenizedDocuments(string[] texts)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(texts.Select(t => new TextRow { Text = t }));
        var builder = new VocabularyBuilder(BagOfWordsTokenizer.Words);
        builder.AddAll(data, "Text");
        var (tokens, counts, documentFrequencies, outOfVocabulary) = builder.Build(int.MaxValue, 1);

        var perDocument = texts.Select(t => Tokenization.Words(t.AsMemory()).Select(m => m.ToString()).ToArray()).ToArray();
        var expected = perDocument.SelectMany(d => d).GroupBy(t => t, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
        var documents = perDocument.SelectMany(d => d.Distinct(StringComparer.Ordinal)).GroupBy(t => t, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);

        Assert.AreEqual(texts.Length, builder.Documents);
        Assert.AreEqual(0, outOfVocabulary);
        Assert.AreEqual(expected.Count, tokens.Length);
        for (int i = 0; i < tokens.Length; i++)
        {
            Assert.AreEqual(expected[tokens[i]], counts[i], $"count of '{tokens[i]}'");
            Assert.AreEqual(documents[tokens[i]], documentFrequencies[i], $"documents of '{tokens[i]}'");
        }
        // slot order: most frequent first, ties in ordinal order
        for (int i = 1; i < tokens.Length; i++)
            Assert.IsTrue(counts[i - 1] > counts[i] || (counts[i - 1] == counts[i] && string.CompareOrdinal(tokens[i - 1], tokens[i]) < 0), $"order at {i}");
    }

    private sealed class TextRow
    {
        public string Text { get; set; } = "";
    }
}
