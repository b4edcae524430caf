using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Evaluation.Tests;

/// <summary>Small seeded data sets for the tests.</summary>
internal static class SyntheticData
{
    public const int FeatureCount = 6;

    public sealed class BinaryRow
    {
        public int Id { get; set; }
        public bool Label { get; set; }
        [VectorType(FeatureCount)] public float[] Features { get; set; } = Array.Empty<float>();
    }

    public sealed class TextLabelRow
    {
        public int Id { get; set; }
        public string Label { get; set; } = "";
        [VectorType(FeatureCount)] public float[] Features { get; set; } = Array.Empty<float>();
    }

    public sealed class RegressionRow
    {
        public int Id { get; set; }
        public float Label { get; set; }
        [VectorType(FeatureCount)] public float[] Features { get; set; } = Array.Empty<float>();
    }

    /// <summary>
    /// Binary rows: slots 0–1 carry the label (shifted by ±1 plus unit noise), slots 2–5 are pure uniform noise.
    /// About <paramref name="positiveShare"/> of the rows are positive.
    /// </summary>
    public static BinaryRow[] BinaryRows(int count, int seed, double positiveShare = 0.5)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(i =>
        {
            bool label = rng.NextDouble() < positiveShare;
            float shift = label ? 1f : -1f;
            var f = new float[FeatureCount];
            f[0] = shift + Gaussian(rng);
            f[1] = shift + Gaussian(rng);
            for (int j = 2; j < FeatureCount; j++)
                f[j] = (float)rng.NextDouble();
            return new BinaryRow { Id = i, Label = label, Features = f };
        }).ToArray();
    }

    /// <summary>Text-labelled rows with the given class sizes (classes "a", "b", "c", …), each class centered on its own slot 0 value.</summary>
    public static TextLabelRow[] TextLabelRows(int seed, params int[] classSizes)
    {
        var rng = new Random(seed);
        var rows = new List<TextLabelRow>();
        for (int c = 0; c < classSizes.Length; c++)
            for (int i = 0; i < classSizes[c]; i++)
            {
                var f = new float[FeatureCount];
                f[0] = 3 * c + 0.5f * Gaussian(rng);
                f[1] = -3 * c + 0.5f * Gaussian(rng);
                for (int j = 2; j < FeatureCount; j++)
                    f[j] = (float)rng.NextDouble();
                rows.Add(new TextLabelRow { Label = ((char)('a' + c)).ToString(), Features = f });
            }
        // interleave the classes in a seeded random order so row position says nothing about the class
        var shuffled = rows.OrderBy(_ => rng.Next()).ToArray();
        for (int i = 0; i < shuffled.Length; i++)
            shuffled[i].Id = i;
        return shuffled;
    }

    /// <summary>Regression rows: label = 2·x0 − x1 + small noise; slots 2–5 are noise.</summary>
    public static RegressionRow[] RegressionRows(int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(i =>
        {
            var f = new float[FeatureCount];
            for (int j = 0; j < FeatureCount; j++)
                f[j] = (float)rng.NextDouble();
            return new RegressionRow { Id = i, Label = 2 * f[0] - f[1] + 0.05f * Gaussian(rng), Features = f };
        }).ToArray();
    }

    public static IDataView Load<T>(MLContext ml, IEnumerable<T> rows) where T : class => ml.Data.LoadFromEnumerable(rows);

    private static float Gaussian(Random rng)
        => (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
}
