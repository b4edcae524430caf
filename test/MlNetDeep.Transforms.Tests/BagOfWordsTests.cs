using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.TestUtilities;

namespace MlNetDeep.Transforms.Tests;

[TestClass]
public sealed class BagOfWordsTests
{
    // words: the cat sat on the mat | the dog ate the cat | (empty) | (null) | a dog a dog a cat
    // corpus counts: the 4; a 3, cat 3, dog 3; ate 1, mat 1, on 1, sat 1 (17 tokens)
    private static readonly string?[] Corpus = { "The cat sat on the mat.", "The dog ate the cat!", "", null, "A dog, a DOG; a cat?" };

    [TestMethod]
    public void Fit_TinyCorpus_VocabularyOrderedByFrequencyThenOrdinal()
    {
        var ml = new MLContext(seed: 1);

        var model = ml.Transforms.Text.VectorizeBagOfWords("Bag", "Text").Fit(Texts(ml, Corpus));

        CollectionAssert.AreEqual(new[] { "the", "a", "cat", "dog", "ate", "mat", "on", "sat" }, model.Vocabulary.ToArray());
        CollectionAssert.AreEqual(new long[] { 4, 3, 3, 3, 1, 1, 1, 1 }, model.TokenCounts.ToArray());
        CollectionAssert.AreEqual(new long[] { 2, 1, 3, 2, 1, 1, 1, 1 }, model.DocumentFrequencies.ToArray());
        Assert.AreEqual(0, model.OutOfVocabularyTokenCount);
        Assert.AreEqual(5, model.DocumentCount);
    }

    [TestMethod]
    public void Fit_MaximumVocabularySize_KeepsTopTokensAndCountsTheRestAsOutOfVocabulary()
    {
        var ml = new MLContext(seed: 1);
        var data = Texts(ml, Corpus);

        var model = ml.Transforms.Text.VectorizeBagOfWords("Bag", "Text", maximumVocabularySize: 5).Fit(data);
        var output = model.Transform(data);

        CollectionAssert.AreEqual(new[] { "the", "a", "cat", "dog", "ate" }, model.Vocabulary.ToArray());
        Assert.AreEqual(3, model.OutOfVocabularyTokenCount, "mat, on, sat");
        CollectionAssert.AreEqual(new[] { "the", "a", "cat", "dog", "ate" }, TestData.SlotNames(output.Schema["Bag"]));
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 5), output.Schema["Bag"].Type);
    }

    [TestMethod]
    public void Transform_MultiHot_ExactVectorsWithZeroRowsForEmptyAndNullText()
    {
        var ml = new MLContext(seed: 1);
        var data = Texts(ml, Corpus);

        var rows = Columns.Vectors(ml.Transforms.Text.VectorizeBagOfWords("Bag", "Text", 5).Fit(data).Transform(data), "Bag");

        CollectionAssert.AreEqual(new[] { 1f, 0f, 1f, 0f, 0f }, rows[0]);
        CollectionAssert.AreEqual(new[] { 1f, 0f, 1f, 1f, 1f }, rows[1]);
        CollectionAssert.AreEqual(new[] { 0f, 0f, 0f, 0f, 0f }, rows[2], "empty text");
        CollectionAssert.AreEqual(new[] { 0f, 0f, 0f, 0f, 0f }, rows[3], "null text");
        CollectionAssert.AreEqual(new[] { 0f, 1f, 1f, 1f, 0f }, rows[4]);
    }

    [TestMethod]
    public void Transform_Counts_ExactVectors()
    {
        var ml = new MLContext(seed: 1);
        var data = Texts(ml, Corpus);

        var rows = Columns.Vectors(Vectorizer(ml, o => { o.MaximumVocabularySize = 5; o.Mode = BagOfWordsMode.Counts; }).Fit(data).Transform(data), "Bag");

        CollectionAssert.AreEqual(new[] { 2f, 0f, 1f, 0f, 0f }, rows[0]);
        CollectionAssert.AreEqual(new[] { 2f, 0f, 1f, 1f, 1f }, rows[1]);
        CollectionAssert.AreEqual(new[] { 0f, 0f, 0f, 0f, 0f }, rows[3]);
        CollectionAssert.AreEqual(new[] { 0f, 3f, 1f, 2f, 0f }, rows[4]);
    }

    [TestMethod]
    public void Transform_TfIdf_IsCountTimesSmoothedIdf()
    {
        var ml = new MLContext(seed: 1);
        var data = Texts(ml, Corpus);

        var model = Vectorizer(ml, o => { o.MaximumVocabularySize = 5; o.Mode = BagOfWordsMode.TfIdf; }).Fit(data);
        var rows = Columns.Vectors(model.Transform(data), "Bag");

        // N = 5 documents; df: the 2, a 1, cat 3, dog 2, ate 1; idf = ln((1 + N) / (1 + df)) + 1
        double idfThe = Math.Log(6.0 / 3) + 1, idfA = Math.Log(6.0 / 2) + 1, idfCat = Math.Log(6.0 / 4) + 1, idfDog = Math.Log(6.0 / 3) + 1, idfAte = Math.Log(6.0 / 2) + 1;
        CollectionAssert.AreEqual(new[] { idfThe, idfA, idfCat, idfDog, idfAte }, model.InverseDocumentFrequencies.ToArray());
        CollectionAssert.AreEqual(new[] { 2 * (float)idfThe, 0f, (float)idfCat, 0f, 0f }, rows[0]);
        CollectionAssert.AreEqual(new[] { 2 * (float)idfThe, 0f, (float)idfCat, (float)idfDog, (float)idfAte }, rows[1]);
        CollectionAssert.AreEqual(new[] { 0f, 0f, 0f, 0f, 0f }, rows[2]);
        CollectionAssert.AreEqual(new[] { 0f, 3 * (float)idfA, (float)idfCat, 2 * (float)idfDog, 0f }, rows[4]);
        CollectionAssert.AreEqual(new[] { "the", "a", "cat", "dog", "ate" }, TestData.SlotNames(model.Transform(data).Schema["Bag"]));
    }

    [TestMethod]
    public void Transform_Output_IsSparse()
    {
        var ml = new MLContext(seed: 1);
        // 30 more words: row 0 then has 5 of 38 slots set
        var data = Texts(ml, Corpus.Append(string.Join(" ", Enumerable.Range(0, 30).Select(i => "w" + i))));
        var output = ml.Transforms.Text.VectorizeBagOfWords("Bag", "Text").Fit(data).Transform(data);

        using var cursor = output.GetRowCursor(new[] { output.Schema["Bag"] });
        var getter = cursor.GetGetter<VBuffer<float>>(output.Schema["Bag"]);
        VBuffer<float> row = default;
        cursor.MoveNext();
        getter(ref row);

        Assert.IsFalse(row.IsDense);
        Assert.AreEqual(5, row.GetValues().Length, "the, cat, sat, on, mat");
    }

    [TestMethod]
    public void Fit_MinimumDocumentFrequency_DropsRareTokens()
    {
        var ml = new MLContext(seed: 1);

        var model = Vectorizer(ml, o => o.MinimumDocumentFrequency = 2).Fit(Texts(ml, Corpus));

        CollectionAssert.AreEqual(new[] { "the", "cat", "dog" }, model.Vocabulary.ToArray());
        Assert.AreEqual(17 - 10, model.OutOfVocabularyTokenCount);
    }

    [TestMethod]
    public void Fit_RemoveStopWords_DropsEnglishStopWords()
    {
        var ml = new MLContext(seed: 1);
        var data = Texts(ml, Corpus);

        var model = Vectorizer(ml, o => o.RemoveStopWords = true).Fit(data);

        CollectionAssert.AreEqual(new[] { "cat", "dog", "ate", "mat", "sat" }, model.Vocabulary.ToArray());
        CollectionAssert.AreEqual(new[] { 0f, 1f, 0f, 0f, 0f }, Columns.Vectors(model.Transform(Texts(ml, new[] { "The DOG and the dog" })), "Bag")[0]);
    }

    [TestMethod]
    public void Fit_Cl100kBase_CountsTrimmedSubwordTokens()
    {
        var ml = new MLContext(seed: 1);
        var data = Texts(ml, new[] { "Hello world, hello tokenization!", "Hello again" });

        var model = Vectorizer(ml, o => { o.Tokenizer = BagOfWordsTokenizer.Cl100kBase; o.Mode = BagOfWordsMode.Counts; }).Fit(data);

        Assert.AreEqual("Hello", model.Vocabulary[0], "the most frequent token (2 times); case is kept");
        CollectionAssert.IsSubsetOf(new[] { "world", "hello", "again", "," }, model.Vocabulary.ToArray());
        Assert.IsTrue(model.Vocabulary.All(t => t.Length > 0 && t.Trim() == t), "tokens are trimmed: " + string.Join("|", model.Vocabulary));
        Assert.IsTrue(model.Vocabulary.Count > 7, "'tokenization' is split into subword tokens: " + string.Join("|", model.Vocabulary));
        var rows = Columns.Vectors(model.Transform(data), "Bag");
        Assert.AreEqual(2f, rows[1].Sum(), "'Hello again' is two tokens");
    }

    [TestMethod]
    public void Fit_InPlace_ReplacesTheTextColumnWithTheVector()
    {
        var ml = new MLContext(seed: 1);
        var data = Texts(ml, Corpus);

        var output = ml.Transforms.Text.VectorizeBagOfWords("Text", maximumVocabularySize: 2).Fit(data).Transform(data);

        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 2), output.Schema["Text"].Type);
        CollectionAssert.AreEqual(new[] { 1f, 0f }, Columns.Vectors(output, "Text")[0]);
        Assert.AreEqual(1, output.Schema.Count(c => !c.IsHidden));
    }

    [TestMethod]
    public void PredictionEngine_OnFittedVectorizer_MapsSingleRows()
    {
        var ml = new MLContext(seed: 1);
        var model = ml.Transforms.Text.VectorizeBagOfWords("Bag", "Text", 5).Fit(Texts(ml, Corpus));

        var engine = ml.Model.CreatePredictionEngine<TextRow, BagRow>(model);

        CollectionAssert.AreEqual(new[] { 1f, 1f, 0f, 1f, 0f }, engine.Predict(new TextRow { Text = "the DOG, a zebra" }).Bag);
    }

    [TestMethod]
    public void Options_Defaults_AreTheDocumentedOnes()
    {
        var o = new BagOfWordsOptions();
        Assert.AreEqual("Features", o.OutputColumnName);
        Assert.IsNull(o.InputColumnName);
        Assert.AreEqual(10_000, o.MaximumVocabularySize);
        Assert.AreEqual(1, o.MinimumDocumentFrequency);
        Assert.AreEqual(BagOfWordsTokenizer.Words, o.Tokenizer);
        Assert.IsFalse(o.RemoveStopWords);
        Assert.AreEqual(BagOfWordsMode.MultiHot, o.Mode);
    }

    [TestMethod]
    public void Constructor_InvalidOptions_OneExceptionListsEveryProblem()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => new BagOfWordsEstimator(new BagOfWordsOptions
        {
            MaximumVocabularySize = 0, MinimumDocumentFrequency = -1, Mode = (BagOfWordsMode)9,
        }));

        Assert.AreEqual(
            "Invalid BagOfWordsOptions: 3 problem(s).\n" +
            "Invalid value for MaximumVocabularySize: expected at least 1. Received: MaximumVocabularySize=0.\n" +
            "Invalid value for MinimumDocumentFrequency: expected at least 1. Received: MinimumDocumentFrequency=-1.\n" +
            "Invalid value for Mode: expected MultiHot, Counts or TfIdf. Received: Mode=9. (Parameter 'options')",
            e.Message);
    }

    [TestMethod]
    public void ChainFit_NonTextColumn_SchemaErrorNamesColumnExpectedAndReceivedTypes()
    {
        var ml = new MLContext(seed: 1);
        var data = MutualInformationData.Build(ml, new[] { new[] { 1f } }, new[] { true });
        var chain = ml.Transforms.CopyColumns("Copy", "Features").Append(ml.Transforms.Text.VectorizeBagOfWords("Bag", "Features"));

        var e = Assert.ThrowsExactly<ArgumentException>(() => chain.Fit(data));

        Assert.AreEqual("Schema mismatch for input column 'Features': expected String (text), got Vector<Single>. (Parameter 'inputSchema')", e.Message);
    }

    [TestMethod]
    public void Fit_NonTextColumn_NamesTheKnownSize()
    {
        var ml = new MLContext(seed: 1);
        var data = MutualInformationData.Build(ml, new[] { new[] { 1f, 2f } }, new[] { true });

        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.Text.VectorizeBagOfWords("Bag", "Features").Fit(data));

        Assert.AreEqual("Schema mismatch for input column 'Features': expected String (text), got Vector<Single, 2>. (Parameter 'inputSchema')", e.Message);
    }

    [TestMethod]
    public void Fit_NoTokenInEnoughDocuments_ThrowsNamingTheThreshold()
    {
        var ml = new MLContext(seed: 1);

        var e = Assert.ThrowsExactly<InvalidOperationException>(() => Vectorizer(ml, o => o.MinimumDocumentFrequency = 9).Fit(Texts(ml, Corpus)));

        Assert.AreEqual("No token of column 'Text' occurs in at least 9 of the 5 documents; the vocabulary would be empty.", e.Message);
    }

    [TestMethod]
    public void Fit_InEstimatorChainAndCrossValidate_Learns()
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(5);
        string[] spam = { "win", "money", "free", "prize", "cash" }, ham = { "meeting", "agenda", "report", "lunch", "project" }, common = { "the", "today", "please", "see", "you" };
        var rows = Enumerable.Range(0, 160).Select(i =>
        {
            bool isSpam = i % 2 == 0;
            var words = Enumerable.Range(0, 6).Select(k => k % 2 == 0 ? (isSpam ? spam : ham)[random.Next(5)] : common[random.Next(5)]);
            return new LabeledText { Text = string.Join(" ", words), Label = isSpam };
        }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.Text.VectorizeBagOfWords("Features", "Text", 100)
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression());

        var folds = ml.BinaryClassification.CrossValidate(data, pipeline, numberOfFolds: 4);

        Assert.IsTrue(folds.All(f => f.Metrics.Accuracy > 0.95), string.Join(", ", folds.Select(f => f.Metrics.Accuracy)));
    }

    [TestMethod]
    [DataRow(BagOfWordsMode.MultiHot)]
    [DataRow(BagOfWordsMode.Counts)]
    [DataRow(BagOfWordsMode.TfIdf)]
    public void EstimatorChain_EveryMode_PropagatesSchemaAndDropsInternalColumns(BagOfWordsMode mode)
    {
        var ml = new MLContext(seed: 1);
        var data = Texts(ml, Corpus);
        var chain = ml.Transforms.CopyColumns("Original", "Text")
            .Append(Vectorizer(ml, o => { o.Mode = mode; o.RemoveStopWords = true; o.MaximumVocabularySize = 3; }));

        var output = chain.Fit(data).Transform(data);

        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 3), output.Schema["Bag"].Type);
        CollectionAssert.AreEqual(new[] { "Text", "Original", "Bag" }, output.Schema.Where(c => !c.IsHidden).Select(c => c.Name).ToArray());
        CollectionAssert.AreEqual(new[] { "cat", "dog", "ate" }, TestData.SlotNames(output.Schema["Bag"]));
    }

    [TestMethod]
    [DataRow(BagOfWordsMode.MultiHot, BagOfWordsTokenizer.Words)]
    [DataRow(BagOfWordsMode.Counts, BagOfWordsTokenizer.Cl100kBase)]
    [DataRow(BagOfWordsMode.TfIdf, BagOfWordsTokenizer.Words)]
    public void SaveLoad_InSeparateProcess_GivesIdenticalVectors(BagOfWordsMode mode, BagOfWordsTokenizer tokenizer)
    {
        var ml = new MLContext(seed: 1);
        var data = Texts(ml, Corpus);
        var model = Vectorizer(ml, o => { o.Mode = mode; o.Tokenizer = tokenizer; o.RemoveStopWords = mode == BagOfWordsMode.TfIdf; }).Fit(data);
        var path = TestData.TempPath(".zip");
        ml.Model.Save(model, data.Schema, path);
        var unseen = Texts(ml, new[] { "The cat and a zebra", null, "dog dog DOG", "" });

        var loaded = SeparateProcess.TransformWithLoadedModel(ml, path, unseen, out var loaderOutput);

        Assert.AreEqual("no-torchsharp-no-onnxruntime", loaderOutput);
        var expected = Columns.Vectors(model.Transform(unseen), "Bag");
        var actual = Columns.Vectors(loaded, "Bag");
        Assert.AreEqual(4, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.IsTrue(Columns.BitEqual(expected[i], actual[i]), $"row {i}: {string.Join(",", expected[i])} vs {string.Join(",", actual[i])}");
        CollectionAssert.AreEqual(model.Vocabulary.ToArray(), TestData.SlotNames(loaded.Schema["Bag"]));
        Assert.IsTrue(expected[0].Sum() > 0, "the unseen text has known tokens");
    }

    private static BagOfWordsEstimator Vectorizer(MLContext ml, Action<BagOfWordsOptions> set)
    {
        var options = new BagOfWordsOptions { OutputColumnName = "Bag", InputColumnName = "Text" };
        set(options);
        return ml.Transforms.Text.VectorizeBagOfWords(options);
    }

    private static IDataView Texts(MLContext ml, IEnumerable<string?> texts) => ml.Data.LoadFromEnumerable(texts.Select(t => new TextRow { Text = t }).ToArray());

    public sealed class TextRow
    {
        public string? Text { get; set; }
    }

    public sealed class BagRow
    {
        public float[] Bag { get; set; } = Array.Empty<float>();
    }

    public sealed class LabeledText
    {
        public string Text { get; set; } = "";

        public bool Label { get; set; }
    }
}
