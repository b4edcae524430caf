using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Evaluation.Tests;

/// <summary>
/// Seeded tasks for permutation feature importance: five named scalar columns, of which only Signal1 and Signal2
/// carry the label; Noise1–Noise3 are independent Gaussian noise. Pipelines concatenate them into "Features", so
/// the slot names are the column names.
/// </summary>
internal static class ImportanceData
{
    public static readonly string[] Columns = { "Noise1", "Signal1", "Noise2", "Signal2", "Noise3" };

    public sealed class Row
    {
        public float Noise1 { get; set; }
        public float Signal1 { get; set; }
        public float Noise2 { get; set; }
        public float Signal2 { get; set; }
        public float Noise3 { get; set; }
        public bool Label { get; set; }
        public float Target { get; set; }
        public string Class { get; set; } = "";
    }

    /// <summary>
    /// Label = Signal1 + Signal2 &gt; 0 (binary); Target = 2·Signal1 − 1.5·Signal2 + small noise (regression);
    /// Class = "low", "mid" or "high" by Signal1 + Signal2 (multiclass).
    /// </summary>
    public static IDataView Load(MLContext ml, int count, int seed)
    {
        var rng = new Random(seed);
        var rows = Enumerable.Range(0, count).Select(_ =>
        {
            var r = new Row { Noise1 = Gaussian(rng), Signal1 = Gaussian(rng), Noise2 = Gaussian(rng), Signal2 = Gaussian(rng), Noise3 = Gaussian(rng) };
            float sum = r.Signal1 + r.Signal2;
            r.Label = sum > 0;
            r.Target = 2 * r.Signal1 - 1.5f * r.Signal2 + 0.1f * Gaussian(rng);
            r.Class = sum < -0.6f ? "low" : sum > 0.6f ? "high" : "mid";
            return r;
        }).ToArray();
        return ml.Data.LoadFromEnumerable(rows);
    }

    /// <summary>Concatenate the five columns into "Features" (slot names = column names) and min-max normalize.</summary>
    public static IEstimator<ITransformer> Featurize(MLContext ml)
        => ml.Transforms.Concatenate("Features", Columns).Append(ml.Transforms.NormalizeMinMax("Features"));

    public static DenseNetworkOptions Network(string label) => new()
    {
        LabelColumnName = label,
        HiddenLayerSizes = new[] { 16 },
        Epochs = 30,
        BatchSize = 32,
        LearningRate = 0.01,
        Seed = 1,
    };

    private static float Gaussian(Random rng)
        => (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
}
