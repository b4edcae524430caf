using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.State;

/// <summary>
/// Carries a fitted component's state through ML.NET's own saveable transformers, so a saved model needs no
/// native session and nothing that <c>PredictionEngine.Dispose</c> can break. A stateless CustomMapping writes
/// one constant key per row (<see cref="KeyColumn"/>); ML.NET's <c>ValueMappingTransformer</c> maps that key to
/// the state: a text blob (read by CustomMapping scorers, which parse it once and cache it by reference), a
/// known-size vector with slot names (a template ML.NET's Expression transform fills in per slot), or a key
/// with the label's own KeyValues. ValueMapping saves its lookup as an ML.NET binary data view, types and
/// annotations included, so every piece survives <c>Model.Save</c>/<c>Model.Load</c> unchanged.
/// </summary>
internal static class StateLookup
{
    /// <summary>The column holding the constant key every lookup reads; drop it when the component is done.</summary>
    public const string KeyColumn = "__MlNetDeep_StateKey";

    /// <summary>The one key value.</summary>
    public const string KeyValue = "state";

    /// <summary>The stateless mapping that writes <see cref="KeyValue"/> into <see cref="KeyColumn"/>.</summary>
    public static IEstimator<ITransformer> Key(MLContext ml) =>
        ml.Transforms.CustomMapping<StateKeyInput, StateKeyOutput>(StateHeads.Key, StateHeads.KeyContract);

    /// <summary>Maps the constant key to <paramref name="text"/> in <paramref name="outputColumn"/> (Text, the same string object on every row).</summary>
    public static IEstimator<ITransformer> Text(MLContext ml, string outputColumn, string text)
    {
        var lookup = ml.Data.LoadFromEnumerable(new[] { new TextEntry { Key = KeyValue, Value = text } });
        return ml.Transforms.Conversion.MapValue(outputColumn, lookup, lookup.Schema[nameof(TextEntry.Key)], lookup.Schema[nameof(TextEntry.Value)], KeyColumn);
    }

    /// <summary>
    /// Maps the constant key to a known-size Single vector holding <paramref name="values"/>, with
    /// <paramref name="slotNames"/> as its SlotNames annotation.
    /// </summary>
    public static IEstimator<ITransformer> NamedVector(MLContext ml, string outputColumn, float[] values, IReadOnlyList<string> slotNames)
    {
        if (slotNames.Count != values.Length)
            throw new ArgumentException($"{slotNames.Count} slot names for {values.Length} values.", nameof(slotNames));
        var definition = SchemaDefinition.Create(typeof(VectorEntry));
        var value = definition[nameof(VectorEntry.Value)];
        value.ColumnType = new VectorDataViewType(NumberDataViewType.Single, values.Length);
        var names = new VBuffer<ReadOnlyMemory<char>>(slotNames.Count, slotNames.Select(n => n.AsMemory()).ToArray());
        value.AddAnnotation(AnnotationUtilsKinds.SlotNames, names, new VectorDataViewType(TextDataViewType.Instance, slotNames.Count));
        var lookup = ml.Data.LoadFromEnumerable(new[] { new VectorEntry { Key = KeyValue, Value = values } }, definition);
        return ml.Transforms.Conversion.MapValue(outputColumn, lookup, lookup.Schema[nameof(VectorEntry.Key)], lookup.Schema[nameof(VectorEntry.Value)], KeyColumn);
    }

    /// <summary>
    /// Maps a 0-based class index (UInt32 column <paramref name="indexColumn"/>) to a key of <paramref name="keyType"/>
    /// carrying <paramref name="keyAnnotations"/> (the label's KeyValues, in the label's own item type): the same
    /// key a label mapped by <c>MapValueToKey</c> holds, so <c>MapKeyToValue</c> returns the label's own values.
    /// </summary>
    public static IEstimator<ITransformer> IndexToKey(MLContext ml, string outputColumn, string indexColumn, KeyDataViewType keyType, DataViewSchema.Annotations? keyAnnotations)
    {
        int count = checked((int)keyType.Count);
        var definition = SchemaDefinition.Create(typeof(IndexEntry));
        var value = definition[nameof(IndexEntry.Value)];
        value.ColumnType = new KeyDataViewType(typeof(uint), keyType.Count);
        var keyValues = keyAnnotations?.Schema.GetColumnOrNull(AnnotationUtilsKinds.KeyValues);
        if (keyValues is { Type: VectorDataViewType { ItemType: PrimitiveDataViewType item } valuesType } && valuesType.Size == count)
        {
            typeof(StateLookup).GetMethod(nameof(AddKeyValues), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(item.RawType).Invoke(null, new object[] { value, keyAnnotations!, valuesType });
        }
        // LoadFromEnumerable stores a key member's value v as key v + 1: v is the 0-based class index
        var rows = Enumerable.Range(0, count).Select(i => new IndexEntry { Key = (uint)i, Value = (uint)i }).ToArray();
        var lookup = ml.Data.LoadFromEnumerable(rows, definition);
        return ml.Transforms.Conversion.MapValue(outputColumn, lookup, lookup.Schema[nameof(IndexEntry.Key)], lookup.Schema[nameof(IndexEntry.Value)], indexColumn);
    }

    private static void AddKeyValues<T>(SchemaDefinition.Column column, DataViewSchema.Annotations annotations, VectorDataViewType type)
    {
        VBuffer<T> values = default;
        annotations.GetValue(AnnotationUtilsKinds.KeyValues, ref values);
        VBuffer<T> copy = default;
        values.CopyTo(ref copy);
        column.AddAnnotation(AnnotationUtilsKinds.KeyValues, copy, type);
    }

    /// <summary>
    /// Reads the text a <see cref="Text"/> lookup maps the key to, from any transformer or (nested) chain holding one
    /// that writes <paramref name="column"/>; the last such lookup wins. Null when there is none.
    /// </summary>
    public static string? ReadText(MLContext ml, ITransformer model, string column)
    {
        var keyView = ml.Data.LoadFromEnumerable(new[] { new StateKeyOutput() });
        string? found = null;
        foreach (var transformer in Flatten(model))
        {
            DataViewSchema schema;
            try
            {
                schema = transformer.GetOutputSchema(keyView.Schema);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
            {
                continue; // a transformer that needs other input columns cannot be the lookup
            }
            if (schema.GetColumnOrNull(column) is not { Type: TextDataViewType })
                continue;
            var text = transformer.Transform(keyView).GetColumn<ReadOnlyMemory<char>>(column).FirstOrDefault();
            found = text.ToString();
        }
        return found;
    }

    /// <summary>The transformers of a model in order, nested chains expanded; a composed MlNetDeep transformer comes first, then its parts.</summary>
    public static IEnumerable<ITransformer> Flatten(ITransformer model)
    {
        if (model is IEnumerable<ITransformer> chain)
        {
            foreach (var inner in chain)
            {
                foreach (var t in Flatten(inner))
                    yield return t;
            }
        }
        else if (model is ComposedTransformer composed)
        {
            yield return composed;
            foreach (var t in Flatten(composed.Inner))
                yield return t;
        }
        else
        {
            yield return model;
        }
    }

    private static class AnnotationUtilsKinds
    {
        public const string SlotNames = "SlotNames";
        public const string KeyValues = "KeyValues";
    }

    private sealed class TextEntry
    {
        public string Key { get; set; } = "";
        public string Value { get; set; } = "";
    }

    private sealed class VectorEntry
    {
        public string Key { get; set; } = "";
        public float[] Value { get; set; } = Array.Empty<float>();
    }

    private sealed class IndexEntry
    {
        public uint Key { get; set; }
        public uint Value { get; set; }
    }
}
