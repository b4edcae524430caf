using System.Text;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;
using MlNetDeep.BagOfWords;

namespace MlNetDeep.Transforms.Tests;

/// <summary>
/// The Words tokenizer's own scanner gives exactly the tokens of the Microsoft.ML.Tokenizers pre-tokenizer it replaced
/// (invariant lower-casing, then RegexPreTokenizer with <c>[\p{L}\p{M}\p{N}]+</c>): saved models keep their vectors.
/// </summary>
[TestClass]
public sealed class WordTokenizerTests
{
    private static readonly Regex WordRegex = new(@"[\p{L}\p{M}\p{N}]+", RegexOptions.CultureInvariant);
    private static readonly RegexPreTokenizer Reference = new(WordRegex, null);

    /// <summary>The tokens of the replaced implementation.</summary>
    private static string[] ReferenceWords(string text)
    {
        string lower = text.ToLowerInvariant();
        return Reference.PreTokenize(lower).Select(p => lower.Substring(p.Offset, p.Length)).ToArray();
    }

    private static string[] Words(string text) => Tokenization.Words(text.AsMemory()).Select(t => t.ToString()).ToArray();

    [TestMethod]
    [DataRow("Don't stop!", new[] { "don", "t", "stop" })]
    [DataRow("Prices: $1,234.56 (EUR 1.234,56); 3.14159e-10", new[] { "prices", "1", "234", "56", "eur", "1", "234", "56", "3", "14159e", "10" })]
    [DataRow("CAFÉ café cafe\u0301 naïve", new[] { "café", "café", "cafe\u0301", "naïve" })]
    [DataRow("x² ½ Ⅻ ٣٤ १२", new[] { "x²", "½", "ⅻ", "٣٤", "१२" })]
    [DataRow("日本語のテキスト、Ελληνικά; русский-текст", new[] { "日本語のテキスト", "ελληνικά", "русский", "текст" })]
    [DataRow("a😀b 𝐀𝐁 x\u200by", new[] { "a", "b", "x", "y" })]
    [DataRow("e-mail@example.org_under_score", new[] { "e", "mail", "example", "org", "under", "score" })]
    [DataRow("tabs\tand\nnew\u00a0lines\r\n", new[] { "tabs", "and", "new", "lines" })]
    public void Words_Text_GivesExpectedTokens_AsTheRegexPreTokenizer(string text, string[] expected)
    {
        CollectionAssert.AreEqual(expected, Words(text));
        CollectionAssert.AreEqual(ReferenceWords(text), Words(text));
    }

    [TestMethod]
    [DataRow("")]
    [DataRow(" ")]
    [DataRow(" \t\r\n\u00a0\u2003\u3000")]
    [DataRow("!?.,;:-–—…()[]{}<>\"'`~@#$%^&*_+=|\\/")]
    [DataRow("😀👍🏽 𝐀")]
    public void Words_NoLetterMarkOrNumber_GivesNoToken(string text)
    {
        Assert.AreEqual(0, Words(text).Length);
        Assert.AreEqual(0, ReferenceWords(text).Length);
    }

    [TestMethod]
    public void IsWordCharacter_EveryUtf16CodeUnit_MatchesTheRegexClass()
    {
        var mismatches = new List<int>();
        for (int c = 0; c <= char.MaxValue; c++)
        {
            if (WordScanner.IsWordCharacter((char)c) != WordRegex.IsMatch(((char)c).ToString()))
                mismatches.Add(c);
        }

        Assert.AreEqual(0, mismatches.Count, $"code units that disagree: {string.Join(", ", mismatches.Take(20).Select(c => $"U+{c:X4}"))}");
    }

    [TestMethod]
    public void LowerCasing_EveryUtf16CodeUnitOutsideSurrogatePairs_KeepsItsWordClass_AndChangesAsTheTableSays()
    {
        // the scanner finds words in the original text and lower-cases only those that change: right because
        // lower-casing maps code units one by one and never moves one into or out of the word class
        var mismatches = new List<string>();
        for (int c = 0; c <= char.MaxValue; c++)
        {
            if (char.IsSurrogate((char)c))
                continue;
            string original = ((char)c).ToString(), lower = original.ToLowerInvariant();
            Assert.AreEqual(1, lower.Length);
            if (WordRegex.IsMatch(original) != WordRegex.IsMatch(lower))
                mismatches.Add($"U+{c:X4} class");
            if (WordScanner.ChangesWhenLowerCased((char)c) != (lower != original))
                mismatches.Add($"U+{c:X4} change");
        }

        Assert.AreEqual(0, mismatches.Count, string.Join(", ", mismatches.Take(20)));
        Assert.IsTrue(WordScanner.ChangesWhenLowerCased('A') && WordScanner.ChangesWhenLowerCased('É') && !WordScanner.ChangesWhenLowerCased('a'));
    }

    [TestMethod]
    public void Words_UnchangedWordsAreSlicesOfTheInput_ChangedOnesAreCopies()
    {
        string text = "keep Change keep";

        var tokens = Tokenization.Words(text.AsMemory());

        Assert.IsTrue(System.Runtime.InteropServices.MemoryMarshal.TryGetString(tokens[0], out var source, out int start, out _) && ReferenceEquals(text, source) && start == 0);
        Assert.IsFalse(System.Runtime.InteropServices.MemoryMarshal.TryGetString(tokens[1], out _, out _, out _));
        CollectionAssert.AreEqual(new[] { "keep", "change", "keep" }, tokens.Select(t => t.ToString()).ToArray());
    }

    [TestMethod]
    public void Words_RandomMixOfEveryKindOfCharacter_MatchesTheReference()
    {
        // ASCII, Latin-1, letters with combining marks, CJK, digits of other scripts, surrogate pairs and lone halves,
        // upper case that lower-cases to other characters (İ, Σ, Ⅻ), separators of every kind, in runs around 16 and 32
        // characters long so that words cross the vectorized searches' block boundaries
        const string alphabet = "aZ09 .,-_'\t\n\u00a0éÉßøÆ\u0301\u0308日本ΣσςİıǅⅫ٣१\u2028\u200b€½²😀\ud800\udc00";
        var random = new Random(13);
        for (int n = 0; n < 20_000; n++)
        {
            var text = new StringBuilder();
            int length = random.Next(0, 80);
            for (int i = 0; i < length; i++)
            {
                char c = alphabet[random.Next(alphabet.Length)];
                text.Append(random.Next(4) == 0 ? new string(c, random.Next(1, 40)) : c.ToString());
            }
            string s = text.ToString();
            CollectionAssert.AreEqual(ReferenceWords(s), Words(s), $"text: {s}");
        }
    }

    [TestMethod]
    public void Scan_MostlyAsciiTextWithOtherCharactersAtEveryOffset_GivesTheWordsOfTryNext()
    {
        // the vectorized scan classifies 16 ASCII characters at a time and hands any block with another character to
        // the table: words that start, end or change case across block edges, with non-ASCII characters on either side
        const string ascii = "abcXYZ09 .,-_'\t\n";
        const string other = "éÉß\u00a0\u0301日Σİ😀\ud800€½";
        var random = new Random(17);
        for (int n = 0; n < 20_000; n++)
        {
            var text = new StringBuilder();
            int length = random.Next(0, 100);
            for (int i = 0; i < length; i++)
            {
                string alphabet = random.Next(25) == 0 ? other : ascii;
                char c = alphabet[random.Next(alphabet.Length)];
                text.Append(random.Next(6) == 0 ? new string(c, random.Next(1, 20)) : c.ToString());
            }
            string s = text.ToString();
            CollectionAssert.AreEqual(ByTryNext(s), ByScan(s), $"text: {s}");
        }
        // one word across three blocks (ASCII, then one with é, then ASCII) whose only upper-case letter is in the first
        CollectionAssert.AreEqual(new[] { "15+49:True" }, ByScan(new string(' ', 15) + "Ab" + new string('c', 30) + "é" + new string('d', 16)));
        // words ending at a block's last character and starting at the next block's first
        CollectionAssert.AreEqual(new[] { "0+16:False", "17+15:False", "33+2:True" }, ByScan(new string('a', 16) + " " + new string('b', 15) + "!Cd"));
    }

    [TestMethod]
    public void Scan_EveryMailOfTheSpamAssassinCorpus_GivesTheWordsOfTryNext()
    {
        var files = Directory.EnumerateDirectories(SpamAssassinFolder()).SelectMany(d => Directory.EnumerateFiles(d, "*.txt")).ToArray();
        long words = 0;
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            foreach (var text in new[] { Encoding.UTF8.GetString(bytes), Encoding.Latin1.GetString(bytes) })
            {
                var expected = ByTryNext(text);
                var actual = ByScan(text);
                if (!expected.SequenceEqual(actual))
                    Assert.Fail($"{file}: {expected.Length} words by TryNext, {actual.Length} by Scan; first difference at word {expected.Zip(actual).TakeWhile(p => p.First == p.Second).Count()}");
                words += actual.Length;
            }
        }
        Assert.IsTrue(words > 10_000_000, $"{words} words compared");
    }

    /// <summary>Each word as "start+length:changes".</summary>
    private static string[] ByTryNext(string text)
    {
        var words = new List<string>();
        int position = 0;
        while (WordScanner.TryNext(text, ref position, out int start, out int length, out bool changes))
            words.Add($"{start}+{length}:{changes}");
        return words.ToArray();
    }

    private static string[] ByScan(string text)
    {
        var sink = new Collector { Words = new List<string>() };
        WordScanner.Scan(text, ref sink);
        return sink.Words.ToArray();
    }

    private struct Collector : IWordSink
    {
        public List<string> Words;

        public void Word(ReadOnlySpan<char> text, int start, int length, bool lowerCaseChanges) => Words.Add($"{start}+{length}:{lowerCaseChanges}");
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(31)]
    [DataRow(32)]
    [DataRow(33)]
    [DataRow(1_000_000)]
    public void Words_VeryLongWords_AreOneTokenEach(int length)
    {
        string ascii = new('A', length), accented = string.Concat(Enumerable.Repeat("aé", length)), cjk = new('語', length);
        string text = $"{ascii} {accented}!{cjk}";

        var tokens = Words(text);

        CollectionAssert.AreEqual(new[] { ascii.ToLowerInvariant(), accented, cjk }, tokens);
        CollectionAssert.AreEqual(ReferenceWords(text), tokens);
    }

    [TestMethod]
    public void Words_InputIsUnchanged_AndEachCallGivesItsOwnArray()
    {
        var text = "Hello, WORLD".AsMemory();

        var tokens = Tokenization.Words(text);

        Assert.AreEqual("Hello, WORLD", text.ToString());
        CollectionAssert.AreEqual(new[] { "hello", "world" }, tokens.Select(t => t.ToString()).ToArray());
        // a second call gives fresh arrays (the scanner's buffer is not handed out)
        var again = Tokenization.Words(text);
        Assert.AreNotSame(tokens, again);
        CollectionAssert.AreEqual(new[] { "hello", "world" }, tokens.Select(t => t.ToString()).ToArray());
    }

    [TestMethod]
    public void Distinct_RandomDocuments_KeepFirstOccurrencesInOrder_AsLinqDistinct()
    {
        var random = new Random(21);
        string[] vocabulary = Enumerable.Range(0, 300).Select(i => i % 7 == 0 ? new string('x', i) : $"w{i}").Append("").ToArray();
        // sizes around the set's growth steps, and one document far larger than the slots it keeps between calls
        foreach (int length in new[] { 0, 1, 2, 3, 100, 127, 128, 129, 1000, 200_000, 5, 64 })
        {
            var tokens = Enumerable.Range(0, length).Select(_ => vocabulary[random.Next(vocabulary.Length)].AsMemory()).ToArray();

            var distinct = Tokenization.Distinct(tokens).Select(t => t.ToString()).ToArray();

            CollectionAssert.AreEqual(tokens.Select(t => t.ToString()).Distinct(StringComparer.Ordinal).ToArray(), distinct, $"{length} tokens");
        }
    }

    [TestMethod]
    public void Words_EveryMailOfTheSpamAssassinCorpus_MatchesTheReference()
    {
        var folder = SpamAssassinFolder();
        var files = Directory.EnumerateDirectories(folder).SelectMany(d => Directory.EnumerateFiles(d, "*.txt")).ToArray();
        Assert.IsTrue(files.Length > 6000, $"{files.Length} mails in {folder}");
        long tokens = 0;
        var latin1 = Encoding.Latin1;
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            // as UTF-8 (invalid bytes become U+FFFD) and as Latin-1 (every byte a character: accents, NBSP, ¤, ²)
            foreach (var text in new[] { Encoding.UTF8.GetString(bytes), latin1.GetString(bytes) })
            {
                var expected = ReferenceWords(text);
                var actual = Words(text);
                if (!expected.SequenceEqual(actual))
                    Assert.Fail($"{file}: {expected.Length} reference tokens, {actual.Length} scanned; first difference at token {expected.Zip(actual).TakeWhile(p => p.First == p.Second).Count()}");
                tokens += actual.Length;
            }
        }
        Assert.IsTrue(tokens > 5_000_000, $"{tokens} tokens compared");
    }

    internal static string SpamAssassinFolder()
    {
        var root = Environment.GetEnvironmentVariable("MLNETDEEP_DATA");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); root is null && dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "build", "setup.sh")))
                root = Path.Combine(dir.FullName, ".data");
        }
        var folder = root is null ? null : Path.Combine(root, "node_modules", "@stdlib", "datasets-spam-assassin", "data");
        if (folder is null || !Directory.Exists(folder))
            Assert.Inconclusive($"The SpamAssassin corpus is not installed (looked in '{folder}'; run build/setup.sh or set MLNETDEEP_DATA).");
        return folder;
    }
}
