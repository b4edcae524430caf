using System.Collections.Immutable;
using Microsoft.ML;
using Microsoft.ML.Transforms;
using Microsoft.ML.Data;

namespace MlNetDeep.BagOfWords;

/// <summary>
/// Multiplies each slot by its idf weight with ML.NET's own affine normalizer (zero offset, so sparsity and slot
/// names are kept): fitting <c>NormalizeMinMax(fixZero: true)</c> on two synthetic rows, 1/idf and 0, gives
/// scale = 1 / max|x| = idf per slot. Each synthetic value is nudged by an ulp where needed so that 1f / value is
/// the nearest Single to idf; the scale ML.NET stores from it can still be one ulp away (643 of 5,000 idf weights
/// checked on 2026-11-26), so code that must give the chain's bits reads the stored scales (<see cref="Scales"/>).
/// </summary>
internal static class IdfScaling
{
    public static NormalizingTransformer Create(MLContext ml, string outputColumn, string inputColumn, IReadOnlyList<double> idf)
    {
        var inverse = new float[idf.Count];
        for (int j = 0; j < idf.Count; j++)
            inverse[j] = InverseFor((float)idf[j]);
        var definition = SchemaDefinition.Create(typeof(Row));
        definition[0].ColumnName = inputColumn;
        definition[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, idf.Count);
        var rows = ml.Data.LoadFromEnumerable(new[] { new Row { Values = inverse }, new Row { Values = new float[idf.Count] } }, definition);
        return ml.Transforms.NormalizeMinMax(outputColumn, inputColumn, fixZero: true).Fit(rows);
    }

    /// <summary>The per-slot Single scales <paramref name="scaling"/> multiplies by, as it stored them.</summary>
    public static float[] Scales(NormalizingTransformer scaling) =>
        ((NormalizingTransformer.AffineNormalizerModelParameters<ImmutableArray<float>>)scaling.GetNormalizerModelParameters(0)).Scale.ToArray();

    /// <summary>A Single v with 1f / v == target where one exists within a few ulps of 1 / target.</summary>
    private static float InverseFor(float target)
    {
        float v = 1f / target;
        for (int step = 0; step < 8 && 1f / v != target; step++)
            v = 1f / v > target ? MathF.BitIncrement(v) : MathF.BitDecrement(v);
        return v;
    }

    private sealed class Row
    {
        public float[] Values { get; set; } = Array.Empty<float>();
    }
}
