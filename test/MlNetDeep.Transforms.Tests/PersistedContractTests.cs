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
        Assert.AreEqual("MlNetDeep.NoiseText.v1", NoiseText.Contract);
    }

    [TestMethod]
    public void NoiseText_Layout_IsBitPatternsThenHashes()
    {
        // the saved noise expression reads this layout: 10 digits per input value (its bits), then 8 digits per hash
        var output = new NoiseTextOutput();
        NoiseText.Map(new NoiseTextInput { Values = new[] { 1f, -0f }, Spec = "11 2".AsMemory() }, output);

        var (a, b) = NoiseHash.Parameters(11, 2);
        ulong h = RowFingerprint.Compute(new[] { 1f, -0f });
        Assert.AreEqual("1065353216" + "2147483648" + NoiseHash.Hash(h, a, b, 0).ToString("D8") + NoiseHash.Hash(h, a, b, 1).ToString("D8"), output.Text);
    }

    [TestMethod]
    public void NoiseText_DamagedSpec_ThrowsInvalidDataException()
    {
        var e = Assert.ThrowsExactly<InvalidDataException>(() => NoiseText.Map(new NoiseTextInput { Values = new[] { 1f }, Spec = "eleven".AsMemory() }, new NoiseTextOutput()));

        StringAssert.Contains(e.Message, "'eleven'");
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
