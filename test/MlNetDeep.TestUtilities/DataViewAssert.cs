using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.TestUtilities;

/// <summary>Reads columns of an IDataView into arrays for exact comparisons.</summary>
public static class Columns
{
    /// <summary>All values of a Single vector column, row by row (dense).</summary>
    public static float[][] Vectors(IDataView data, string column)
    {
        var col = data.Schema[column];
        var rows = new List<float[]>();
        using var cursor = data.GetRowCursor(new[] { col });
        var getter = cursor.GetGetter<VBuffer<float>>(col);
        VBuffer<float> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            rows.Add(value.DenseValues().ToArray());
        }
        return rows.ToArray();
    }

    /// <summary>All values of a scalar column of type <typeparamref name="T"/>.</summary>
    public static T[] Scalars<T>(IDataView data, string column)
    {
        var col = data.Schema[column];
        var rows = new List<T>();
        using var cursor = data.GetRowCursor(new[] { col });
        var getter = cursor.GetGetter<T>(col);
        T value = default!;
        while (cursor.MoveNext())
        {
            getter(ref value);
            rows.Add(value);
        }
        return rows.ToArray();
    }

    /// <summary>True when the two float arrays are equal bit for bit (NaN payloads included).</summary>
    public static bool BitEqual(float[] a, float[] b)
        => a.Length == b.Length && a.Zip(b).All(p => BitConverter.SingleToInt32Bits(p.First) == BitConverter.SingleToInt32Bits(p.Second));
}
