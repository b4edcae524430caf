using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Evaluation.Tests;

/// <summary>
/// Small seeded data sets for the tuning tests: a simple rule (slots 0 + 1) with label noise over few rows and six
/// noise slots, so a tiny network underfits within its epochs while a large one memorizes the noise and overfits.
/// </summary>
internal static class TuningData
{
    public const int FeatureCount = 8;

    public sealed class BinaryRow
    {
        public bool Label { get; set; }
        [VectorType(FeatureCount)] public float[] Features { get; set; } = Array.Empty<float>();
    }

    public sealed class ClassRow
    {
        public string Label { get; set; } = "";
        [VectorType(FeatureCount)] public float[] Features { get; set; } = Array.Empty<float>();
    }

    public sealed class RegressionRow
    {
        public float Label { get; set; }
        [VectorType(FeatureCount)] public float[] Features { get; set; } = Array.Empty<float>();
    }

    /// <summary>Label = slot 0 + slot 1 > 0, flipped for <paramref name="noise"/> of the rows; slots 2–7 are noise.</summary>
    public static BinaryRow[] Binary(int count, int seed, double noise = 0.15)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var f = Features(rng);
            bool label = Signal(f) > 0;
            if (rng.NextDouble() < noise)
                label = !label;
            return new BinaryRow { Label = label, Features = f };
        }).ToArray();
    }

    /// <summary>Three classes by the value of slot 0 + slot 1 (about a third each), with <paramref name="noise"/> of the labels replaced at random.</summary>
    public static ClassRow[] Multiclass(int count, int seed, double noise = 0.15)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var f = Features(rng);
            double s = Signal(f);
            int c = s < -0.35 ? 0 : s < 0.35 ? 1 : 2;
            if (rng.NextDouble() < noise)
                c = rng.Next(3);
            return new ClassRow { Label = ((char)('a' + c)).ToString(), Features = f };
        }).ToArray();
    }

    /// <summary>Label = slot 0 + slot 1 plus Gaussian noise of standard deviation <paramref name="noise"/>.</summary>
    public static RegressionRow[] Regression(int count, int seed, double noise = 0.3)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var f = Features(rng);
            return new RegressionRow { Label = (float)(Signal(f) + noise * Gaussian(rng)), Features = f };
        }).ToArray();
    }

    public static IDataView Load<T>(MLContext ml, IEnumerable<T> rows) where T : class => ml.Data.LoadFromEnumerable(rows);

    private static float[] Features(Random rng)
    {
        var f = new float[FeatureCount];
        for (int j = 0; j < FeatureCount; j++)
            f[j] = (float)(2 * rng.NextDouble() - 1);
        return f;
    }

    private static double Signal(float[] f) => f[0] + f[1];

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
