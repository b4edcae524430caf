using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep;

/// <summary>
/// Builds ML.NET's own saveable slot-dropping transformer for a chosen set of slots: it fits
/// <c>SelectFeaturesBasedOnCount(count: 1)</c> on a synthetic one-row view holding 1 in the kept slots and 0
/// elsewhere, which yields a <c>SlotsDroppingTransformer</c> that keeps exactly those slots (slot names follow).
/// </summary>
internal static class SlotSelection
{
    /// <summary>Creates a transformer writing the kept slots of <paramref name="inputColumn"/> to <paramref name="outputColumn"/>.</summary>
    /// <exception cref="ArgumentException">No slot is kept, or a slot index is outside [0, inputSize).</exception>
    public static ITransformer Keep(MLContext ml, string outputColumn, string inputColumn, int inputSize, IEnumerable<int> keptSlots)
    {
        var marks = new float[inputSize];
        int kept = 0;
        foreach (var slot in keptSlots)
        {
            if (slot < 0 || slot >= inputSize)
                throw new ArgumentException($"Slot {slot} is outside the column's {inputSize} slots.", nameof(keptSlots));
            if (marks[slot] == 0f)
                kept++;
            marks[slot] = 1f;
        }
        if (kept == 0)
            throw new ArgumentException($"No slot of column '{inputColumn}' would be kept; at least one must be.", nameof(keptSlots));

        var definition = SchemaDefinition.Create(typeof(MarkRow));
        definition[0].ColumnName = inputColumn;
        definition[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, inputSize);
        var oneRow = ml.Data.LoadFromEnumerable(new[] { new MarkRow { Values = marks } }, definition);
        return ml.Transforms.FeatureSelection.SelectFeaturesBasedOnCount(outputColumn, inputColumn, count: 1).Fit(oneRow);
    }

    private sealed class MarkRow
    {
        public float[] Values { get; set; } = Array.Empty<float>();
    }
}
