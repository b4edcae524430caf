using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep;

namespace Samples.Dynamic.Transforms.Text;

public static class VectorizeBagOfWords
{
    // This example turns short texts into multi-hot vectors over the most frequent words (Keras' Tokenizer
    // with mode="binary"): slot i is 1 when the text contains vocabulary word i.
    public static void Example()
    {
        // Create a new context for ML.NET operations.
        var mlContext = new MLContext(seed: 0);

        // Create a small data set of texts.
        var samples = new[]
        {
            new TextData { Text = "The cat sat on the mat" },
            new TextData { Text = "The dog ate the cat food" },
            new TextData { Text = "A dog and a cat" },
            new TextData { Text = "Nothing to see here" },
        };
        IDataView data = mlContext.Data.LoadFromEnumerable(samples);

        // Keep the 5 most frequent words.
        var pipeline = mlContext.Transforms.Text.VectorizeBagOfWords("Features", nameof(TextData.Text), maximumVocabularySize: 5);
        var transformer = pipeline.Fit(data);

        // The vocabulary, most frequent first.
        Console.WriteLine($"Vocabulary: {string.Join(", ", transformer.Vocabulary)}");

        // Each text becomes a vector with one slot per vocabulary word.
        var transformedData = transformer.Transform(data);
        foreach (var row in mlContext.Data.CreateEnumerable<TransformedTextData>(transformedData, reuseRowObject: false))
            Console.WriteLine($"{row.Text,-25} [{string.Join(", ", row.Features)}]");

        // Expected output:
        //   Vocabulary: the, cat, a, dog, and
        //   The cat sat on the mat    [1, 1, 0, 0, 0]
        //   The dog ate the cat food  [1, 1, 0, 1, 0]
        //   A dog and a cat           [0, 1, 1, 1, 1]
        //   Nothing to see here       [0, 0, 0, 0, 0]
    }

    // The input: one text per row.
    private class TextData
    {
        public string Text { get; set; } = "";
    }

    // The output: the text and its bag-of-words vector.
    private sealed class TransformedTextData : TextData
    {
        public float[] Features { get; set; } = Array.Empty<float>();
    }
}
