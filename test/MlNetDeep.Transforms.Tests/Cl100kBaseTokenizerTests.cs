using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Tokenizers;
using MlNetDeep.BagOfWords;

namespace MlNetDeep.Transforms.Tests;

/// <summary>
/// The cl100k_base tokenizer bounds its work on long runs without changing ordinary text: Tiktoken's byte-pair merge
/// is quadratic in a pre-token's length, so runs longer than <see cref="Tokenization.MaxRunLength"/> are cut.
/// </summary>
[TestClass]
public sealed class Cl100kBaseTokenizerTests
{
    private static readonly Tokenizer Tiktoken = TiktokenTokenizer.CreateForEncoding("cl100k_base");

    [TestMethod]
    [DataRow("The quick brown fox jumps over the lazy dog.")]
    [DataRow("Don't stop — we're 100% sure it'll work, isn't it?")]
    [DataRow("Prices: $1,234.56 (EUR 1.234,56); 3.14159e-10; 2024-11-26T08:00:00Z")]
    [DataRow("  leading and trailing spaces  ")]
    [DataRow("tabs\tand\nnew lines\r\n\r\nand    four spaces\n\n\n")]
    [DataRow("Ünïcödé café naïve résumé, 日本語のテキスト, Ελληνικά, русский текст, עברית")]
    [DataRow("Emoji 😀👍🏽 and a family 👨‍👩‍👧 and flags 🇩🇪")]
    [DataRow("Visit https://www.example.com/path/to/page?query=value&other=1234567890abcdef#fragment-anchor-with-many-words-in-it")]
    [DataRow("<html><body><td align=\"center\"><font face=\"Arial\">FREE!!! Click here</font></td></body></html>")]
    [DataRow("<|endoftext|> is only text here")]
    [DataRow("Subject: Re: [SAdev] spam score\nFrom: someone@example.org\n\n> quoted line\n>> deeper")]
    public void Cl100kBase_OrdinaryText_TokenizesExactlyAsTiktokenOnTheWholeText(string text)
    {
        var tokens = Tokenization.Cl100kBase(text.AsMemory()).Select(t => t.ToString()).ToArray();

        CollectionAssert.AreEqual(Reference(text), tokens);
        Assert.AreEqual(1, Tokenization.Segments(text).Count);
    }

    [TestMethod]
    public void Cl100kBase_RunsOfExactlyTheLimit_AreEncodedWhole()
    {
        string text = "start " + new string('x', Tokenization.MaxRunLength) + new string(' ', Tokenization.MaxRunLength) + "end";

        CollectionAssert.AreEqual(Reference(text), Tokenization.Cl100kBase(text.AsMemory()).Select(t => t.ToString()).ToArray());
        Assert.AreEqual(1, Tokenization.Segments(text).Count);
    }

    [TestMethod]
    public void Cl100kBase_160000Letters_AreEncodedIn160PiecesOf1000()
    {
        string text = new('a', 160_000);

        var segments = Tokenization.Segments(text);
        var tokens = Tokenization.Cl100kBase(text.AsMemory());

        Assert.AreEqual(160, segments.Count);
        Assert.IsTrue(segments.All(s => s.Length == Tokenization.MaxRunLength));
        // each piece is the same 1000 letters, so the tokens are 160 copies of that piece's tokens
        var piece = Reference(new string('a', Tokenization.MaxRunLength));
        Assert.AreEqual(160 * piece.Length, tokens.Length);
        CollectionAssert.AreEqual(Enumerable.Repeat(piece, 160).SelectMany(p => p).ToArray(), tokens.Select(t => t.ToString()).ToArray());
    }

    [TestMethod]
    public void Cl100kBase_TwiceAsLongRandomRun_GivesTwiceTheTokensAndPieces()
    {
        var random = new Random(3);
        string text = new(Enumerable.Range(0, 320_000).Select(_ => (char)('a' + random.Next(26))).ToArray());

        int half = Tokenization.Cl100kBase(text.AsMemory(0, 160_000)).Length;
        int whole = Tokenization.Cl100kBase(text.AsMemory()).Length;

        Assert.AreEqual(160, Tokenization.Segments(text.AsSpan(0, 160_000)).Count);
        Assert.AreEqual(320, Tokenization.Segments(text).Count);
        // work is per piece of at most 1000 letters: the token count (≈ the merge work) grows linearly
        Assert.AreEqual(2.0, whole / (double)half, 0.02, $"{half} tokens for 160,000 letters, {whole} for 320,000");
    }

    [TestMethod]
    public void Cl100kBase_LongRunInsideText_LeavesTheTextAroundItUnchanged()
    {
        const string before = "Hello world, this is fine.", after = " And this ends normally.";
        string text = before + " " + new string('q', 5_000) + after;

        var tokens = Tokenization.Cl100kBase(text.AsMemory()).Select(t => t.ToString()).ToArray();

        Assert.AreEqual(5, Tokenization.Segments(text).Count);
        var head = Reference(before);
        var tail = Reference(after);
        CollectionAssert.AreEqual(head, tokens.Take(head.Length).ToArray());
        CollectionAssert.AreEqual(tail, tokens.Skip(tokens.Length - tail.Length).ToArray());
    }

    [TestMethod]
    public void Cl100kBase_LongWhitespaceRun_IsCutTooAndLeavesTheWords()
    {
        string text = "left" + new string(' ', 100_000) + "right";

        var tokens = Tokenization.Cl100kBase(text.AsMemory()).Select(t => t.ToString()).ToArray();

        Assert.AreEqual(100, Tokenization.Segments(text).Count);
        CollectionAssert.AreEqual(new[] { "left", "right" }, tokens);
    }

    [TestMethod]
    public void Segments_NeverCutBetweenTheHalvesOfASurrogatePair()
    {
        // 'x' then 1,500 emoji: every emoji's low half sits at an even index, so the cut at 1000 must move to 1001
        string text = "x" + string.Concat(Enumerable.Repeat("😀", 1_500));

        var segments = Tokenization.Segments(text);

        CollectionAssert.AreEqual(new[] { (0, 1001), (1001, 1000), (2001, 1000) }, segments.ToArray());
        foreach (var (start, _) in segments.Skip(1))
            Assert.IsFalse(char.IsLowSurrogate(text[start]), $"a segment starts inside a surrogate pair at {start}");
        Assert.AreEqual(text.Length, segments.Sum(s => s.Length));
    }

    [TestMethod]
    public void VectorizeBagOfWords_160000LetterDocument_CountsEveryTokenAtFitAndInAPredictionEngine()
    {
        var ml = new MLContext(seed: 1);
        string huge = new('a', 160_000);
        var data = ml.Data.LoadFromEnumerable(new[] { new BagOfWordsTests.TextRow { Text = "a normal mail" }, new BagOfWordsTests.TextRow { Text = huge } });
        var options = new BagOfWordsOptions { OutputColumnName = "Bag", InputColumnName = "Text", Tokenizer = BagOfWordsTokenizer.Cl100kBase, Mode = BagOfWordsMode.Counts };

        var model = ml.Transforms.Text.VectorizeBagOfWords(options).Fit(data);
        using var engine = ml.Model.CreatePredictionEngine<BagOfWordsTests.TextRow, BagVector>(model);
        var bag = engine.Predict(new BagOfWordsTests.TextRow { Text = huge }).Bag;

        int expected = Tokenization.Cl100kBase(huge.AsMemory()).Length;
        Assert.AreEqual(expected, model.TokenCounts.Sum() - 3, "fit counted the huge document's tokens (and the 3 of the normal mail)");
        Assert.AreEqual(expected, bag.Sum());
    }

    /// <summary>What the tokenizer returned before runs were cut: Tiktoken on the whole text, trimmed, blanks dropped.</summary>
    private static string[] Reference(string text) =>
        Tiktoken.EncodeToTokens(text, out _).Select(t => t.Value.Trim()).Where(v => v.Length > 0).ToArray();

    public sealed class BagVector
    {
        public float[] Bag { get; set; } = Array.Empty<float>();
    }
}
