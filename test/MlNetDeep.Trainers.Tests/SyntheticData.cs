using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Trainers.Tests;

public sealed class BinaryRow
{
    [VectorType(4)]
    public float[] Features { get; set; } = Array.Empty<float>();

    public bool Label { get; set; }

    public float Weight { get; set; } = 1f;
}

public sealed class MulticlassRow
{
    [VectorType(4)]
    public float[] Features { get; set; } = Array.Empty<float>();

    public string Label { get; set; } = "";
}

public sealed class RegressionRow
{
    [VectorType(4)]
    public float[] Features { get; set; } = Array.Empty<float>();

    public float Label { get; set; }
}

public sealed class BinaryPrediction
{
    public bool PredictedLabel { get; set; }

    public float Score { get; set; }

    public float Probability { get; set; }
}

public sealed class MulticlassPrediction
{
    public float[] Score { get; set; } = Array.Empty<float>();

    public string PredictedLabelValue { get; set; } = "";
}

public sealed class RegressionPrediction
{
    public float Score { get; set; }
}

/// <summary>Seeded synthetic problems with known structure.</summary>
public static class SyntheticData
{
    private static float Normal(Random r) => (float)(Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble()));

    private static float[] Point(Random r) => new[] { Normal(r), Normal(r), Normal(r), Normal(r) };

    /// <summary>Label = x0 + x1² − 1 > 0: not linearly separable, easy for one hidden layer.</summary>
    public static List<BinaryRow> Binary(int rows, int seed)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, rows).Select(_ => { var x = Point(r); return new BinaryRow { Features = x, Label = x[0] + x[1] * x[1] - 1 > 0 }; }).ToList();
    }

    /// <summary>Three classes by the angle of (x0, x1).</summary>
    public static List<MulticlassRow> Multiclass(int rows, int seed)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, rows).Select(_ =>
        {
            var x = Point(r);
            var a = Math.Atan2(x[1], x[0]);
            return new MulticlassRow { Features = x, Label = a < -1 ? "west" : a < 1 ? "north" : "east" };
        }).ToList();
    }

    /// <summary>y = sin(x0) + 0.5·x1 + 0.05·noise.</summary>
    public static List<RegressionRow> Regression(int rows, int seed)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, rows).Select(_ => { var x = Point(r); return new RegressionRow { Features = x, Label = MathF.Sin(x[0]) + 0.5f * x[1] + 0.05f * Normal(r) }; }).ToList();
    }

    public static IDataView BinaryView(MLContext ml, int rows, int seed) => ml.Data.LoadFromEnumerable(Binary(rows, seed));

    public static IDataView RegressionView(MLContext ml, int rows, int seed) => ml.Data.LoadFromEnumerable(Regression(rows, seed));

    /// <summary>Multiclass rows with the label already mapped to a key (fitted on the same rows).</summary>
    public static IDataView MulticlassView(MLContext ml, int rows, int seed)
    {
        var data = ml.Data.LoadFromEnumerable(Multiclass(rows, seed));
        return ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
    }
}
