using System.IO.Compression;
using Microsoft.ML;
using MlNetDeep.BagOfWords;
using MlNetDeep.NoiseChannels;

namespace MlNetDeep.Transforms.Tests;

/// <summary>CustomMapping contract names are written into saved models: renaming one breaks every saved model.</summary>
[TestClass]
public sealed class PersistedContractTests
{
    [TestMethod]
    public void ContractNames_AreTheVersionOneNames()
    {
        Assert.AreEqual("MlNetDeep.BagOfWords.WordTokens.v1", Tokenization.WordsContract);
        Assert.AreEqual("MlNetDeep.BagOfWords.Cl100kBaseTokens.v1", Tokenization.Cl100kContract);
        Assert.AreEqual("MlNetDeep.BagOfWords.DistinctTokens.v1", Tokenization.DistinctContract);
        Assert.AreEqual("MlNetDeep.RowFingerprint.v1", RowFingerprint.Contract);
    }

    [TestMethod]
    public void RowFingerprint_OfKnownValues_IsPinned()
    {
        // the noise of every saved model depends on this function: it must never change
        Assert.AreEqual(RowFingerprint.Compute(new[] { 0f, 1f, -2.5f }), RowFingerprint.Compute(new[] { 0f, 1f, -2.5f }));
        Assert.AreNotEqual(RowFingerprint.Compute(new[] { 0f }), RowFingerprint.Compute(new[] { -0f }), "the bit pattern counts");
        // value computed independently (a Python transcription of the documented xxHash64-style rounds)
        Assert.AreEqual(0xCA4C926AB060D86AUL, RowFingerprint.Compute(new[] { 0f, 1f, -2.5f }));
    }

    [TestMethod]
    public void SavedModel_RecordsTheContractAndNoMlNetDeepTransformerType()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new BagOfWordsTests.TextRow { Text = "a b" } });
        var model = ml.Transforms.Text.VectorizeBagOfWords("Bag", "Text").Fit(data);
        var path = TestData.TempPath(".zip");
        ml.Model.Save(model, data.Schema, path);

        using var zip = ZipFile.OpenRead(path);
        // ML.NET writes its string tables in UTF-16
        var text = string.Join("\n", zip.Entries.Select(e =>
        {
            using var stream = new MemoryStream();
            e.Open().CopyTo(stream);
            return System.Text.Encoding.Unicode.GetString(stream.ToArray()) + System.Text.Encoding.UTF8.GetString(stream.ToArray());
        }));
        StringAssert.Contains(text, "MlNetDeep.BagOfWords.WordTokens.v1");
        StringAssert.Contains(text, "MlNetDeep.BagOfWords.DistinctTokens.v1");
        Assert.IsFalse(text.Contains("BagOfWordsTransformer", StringComparison.Ordinal), "only standard ML.NET transformers are saved");
    }
}
