using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Transforms.Tests;

/// <summary>Small synthetic data views made in the tests.</summary>
internal static class TestData
{
    /// <summary>A view with a known-size Single vector column <paramref name="column"/> and optional slot names.</summary>
    public static IDataView Vectors(MLContext ml, float[][] rows, string column = "Features", string[]? slotNames = null)
    {
        int size = rows[0].Length;
        var definition = VectorDefinition(column, size);
        if (slotNames is not null)
        {
            var names = new VBuffer<ReadOnlyMemory<char>>(size, slotNames.Select(s => s.AsMemory()).ToArray());
            definition[0].AddAnnotation("SlotNames", names, new VectorDataViewType(TextDataViewType.Instance, size));
        }
        return ml.Data.LoadFromEnumerable(rows.Select(r => new VectorRow { Features = r }), definition);
    }

    public static SchemaDefinition VectorDefinition(string column, int size)
    {
        var definition = SchemaDefinition.Create(typeof(VectorRow));
        definition[0].ColumnName = column;
        definition[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        return definition;
    }

    public static string[] SlotNames(DataViewSchema.Column column)
    {
        VBuffer<ReadOnlyMemory<char>> names = default;
        column.GetSlotNames(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }

    public static string TempPath(string extension)
    {
        var dir = Path.Combine(Path.GetTempPath(), "mlnetdeep-tests");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, Guid.NewGuid().ToString("N") + extension);
    }

    public sealed class VectorRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();
    }
}
