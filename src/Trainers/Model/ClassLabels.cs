using System.Globalization;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep;

/// <summary>
/// A multiclass label's classes as ML.NET keys them: the key type and its KeyValues annotation in the label's own
/// item type (Single, Int32, UInt32, Boolean, String …), plus the values as text for Score's slot names. The
/// scoring chain gives PredictedLabel exactly this key type and annotation, as ML.NET's in-box trainers do, so
/// <c>MapKeyToValue</c> returns the label's own values in its own type.
/// </summary>
internal sealed class ClassLabels
{
    private ClassLabels(KeyDataViewType keyType, DataViewSchema.Annotations annotations, IReadOnlyList<string> names, IReadOnlyList<object>? values = null)
    {
        KeyType = keyType;
        Annotations = annotations;
        Names = names;
        Values = values;
    }

    /// <summary>The class values in the label's own type, in key order; null when the label has no KeyValues.</summary>
    public IReadOnlyList<object>? Values { get; }

    public KeyDataViewType KeyType { get; }

    /// <summary>The label's KeyValues annotation (empty when the key has none).</summary>
    public DataViewSchema.Annotations Annotations { get; }

    /// <summary>The class values as text, in key order; "1".."K" (the key numbers) when the label has no KeyValues.</summary>
    public IReadOnlyList<string> Names { get; }

    public int Count => Names.Count;

    /// <summary>Reads a key-typed label column.</summary>
    public static ClassLabels FromColumn(DataViewSchema.Column label)
    {
        var keyType = (KeyDataViewType)label.Type;
        int count = checked((int)keyType.Count);
        var builder = new DataViewSchema.Annotations.Builder();
        builder.Add(label.Annotations, kind => kind == "KeyValues");
        var annotations = builder.ToAnnotations();
        if (annotations.Schema.GetColumnOrNull("KeyValues") is { Type: VectorDataViewType { ItemType: PrimitiveDataViewType item } type } && type.Size == count)
        {
            var values = (IReadOnlyList<object>)Generic(nameof(ReadValues), item.RawType).Invoke(null, new object[] { annotations })!;
            var names = values.Select(v => v switch
            {
                ReadOnlyMemory<char> text => text.ToString(),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => v.ToString() ?? "",
            }).ToArray();
            return new ClassLabels(keyType, annotations, names, values);
        }
        return new ClassLabels(keyType, new DataViewSchema.Annotations.Builder().ToAnnotations(), KeyNumbers(count));
    }

    /// <summary>
    /// A stand-in with two classes and KeyValues of the item type a SchemaShape label announces, to derive output
    /// schemas before training (a SchemaShape carries no key count and no values).
    /// </summary>
    public static ClassLabels Placeholder(SchemaShape.Column label)
    {
        var keyType = new KeyDataViewType(typeof(uint), 2);
        var keyValues = label.Annotations.FirstOrDefault(a => a.Name == "KeyValues");
        if (keyValues.Name is null || keyValues.ItemType is not PrimitiveDataViewType item)
            return new ClassLabels(keyType, new DataViewSchema.Annotations.Builder().ToAnnotations(), KeyNumbers(2));
        var annotations = (DataViewSchema.Annotations)Generic(nameof(PlaceholderValues), item.RawType).Invoke(null, new object[] { item })!;
        return new ClassLabels(keyType, annotations, KeyNumbers(2));
    }

    private static string[] KeyNumbers(int count) => Enumerable.Range(1, count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();

    private static MethodInfo Generic(string name, Type type) =>
        typeof(ClassLabels).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type);

    private static IReadOnlyList<object> ReadValues<T>(DataViewSchema.Annotations annotations)
    {
        VBuffer<T> values = default;
        annotations.GetValue("KeyValues", ref values);
        return values.DenseValues().Select(v => (object)v!).ToArray();
    }

    private static DataViewSchema.Annotations PlaceholderValues<T>(PrimitiveDataViewType item)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        builder.Add("KeyValues", new VectorDataViewType(item, 2), (ref VBuffer<T> v) => v = new VBuffer<T>(2, new T[2]));
        return builder.ToAnnotations();
    }
}
