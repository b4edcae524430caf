using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Common;

/// <summary>Reads a vector column's slot names, or makes <c>f0, f1, …</c> when it has none.</summary>
internal static class SlotNameReader
{
    public static string[] Read(DataViewSchema.Column column, int size)
    {
        var names = column.Annotations.Schema.GetColumnOrNull(AnnotationKind)?.Type is VectorDataViewType { ItemType: TextDataViewType } t && t.Size == size
            ? ReadNames(column)
            : null;
        return names ?? Enumerable.Range(0, size).Select(j => "f" + j.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    private const string AnnotationKind = "SlotNames";

    private static string[] ReadNames(DataViewSchema.Column column)
    {
        VBuffer<ReadOnlyMemory<char>> names = default;
        column.GetSlotNames(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }
}
