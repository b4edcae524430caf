using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Transforms.Tests;

/// <summary>
/// Models saved by the bag-of-words whose Words tokenizer was Microsoft.ML.Tokenizers' RegexPreTokenizer (Data/: the
/// zips and the vectors that version gave for Data/bow-words-unseen.json) load and give the same vectors with the scanner.
/// </summary>
[TestClass]
public sealed class SavedBagOfWordsModelTests
{
    [TestMethod]
    [DataRow("multihot")]
    [DataRow("counts-stopwords")]
    public void RegexEraModel_Loads_AndGivesTheVectorsItGaveThen(string name)
    {
        var data = Path.Combine(AppContext.BaseDirectory, "Data");
        var unseen = JsonSerializer.Deserialize<string[]>(File.ReadAllText(Path.Combine(data, "bow-words-unseen.json")))!;
        var expected = File.ReadAllLines(Path.Combine(data, $"bow-words-{name}.expected.txt"));
        var ml = new MLContext(seed: 1);
        var model = ml.Model.Load(Path.Combine(data, $"bow-words-{name}.zip"), out _);

        var output = model.Transform(ml.Data.LoadFromEnumerable(unseen.Select(t => new Doc { Text = t })));

        var actual = new List<string>();
        using (var cursor = output.GetRowCursor(new[] { output.Schema["Bag"] }))
        {
            var getter = cursor.GetGetter<VBuffer<float>>(output.Schema["Bag"]);
            VBuffer<float> v = default;
            while (cursor.MoveNext())
            {
                getter(ref v);
                actual.Add(string.Join(" ", v.Items().Where(p => p.Value != 0).Select(p => $"{p.Key}:{p.Value.ToString(CultureInfo.InvariantCulture)}")));
            }
        }
        CollectionAssert.AreEqual(expected, actual);
        Assert.IsTrue(expected.Count(l => l.Length > 0) >= 4, "most unseen texts hold vocabulary tokens");
    }

    private sealed class Doc
    {
        public string Text { get; set; } = "";
    }
}
