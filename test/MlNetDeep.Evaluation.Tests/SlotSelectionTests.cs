using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.TestUtilities;

namespace MlNetDeep.Evaluation.Tests;

/// <summary>Core's SlotSelection, which the ablation study removes feature groups with.</summary>
[TestClass]
public sealed class SlotSelectionTests
{
    [TestMethod]
    public void Keep_ChosenSlots_KeepsExactlyThoseValuesAndSlotNames()
    {
        var ml = new MLContext(seed: 1);
        var rows = SyntheticData.RegressionRows(5, seed: 2);
        var definition = SchemaDefinition.Create(typeof(SyntheticData.RegressionRow));
        var names = new VBuffer<ReadOnlyMemory<char>>(6, new[] { "x0", "x1", "n2", "n3", "n4", "n5" }.Select(s => s.AsMemory()).ToArray());
        definition["Features"].AddAnnotation("SlotNames", names, new VectorDataViewType(TextDataViewType.Instance, 6));
        var data = ml.Data.LoadFromEnumerable(rows, definition);

        var kept = SlotSelection.Keep(ml, "Features", "Features", 6, new[] { 5, 0, 2 }).Transform(data);

        var column = kept.Schema["Features"];
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 3), column.Type);
        VBuffer<ReadOnlyMemory<char>> slotNames = default;
        column.GetSlotNames(ref slotNames);
        CollectionAssert.AreEqual(new[] { "x0", "n2", "n5" }, slotNames.DenseValues().Select(n => n.ToString()).ToArray());
        var vectors = Columns.Vectors(kept, "Features");
        for (int i = 0; i < rows.Length; i++)
            CollectionAssert.AreEqual(new[] { rows[i].Features[0], rows[i].Features[2], rows[i].Features[5] }, vectors[i]);
    }

    [TestMethod]
    public void Keep_NoSlotOrOutOfRange_Throws()
    {
        var ml = new MLContext(seed: 1);
        var none = Assert.ThrowsExactly<ArgumentException>(() => SlotSelection.Keep(ml, "F", "F", 4, Array.Empty<int>()));
        Assert.AreEqual("No slot of column 'F' would be kept; at least one must be. (Parameter 'keptSlots')", none.Message);
        var outside = Assert.ThrowsExactly<ArgumentException>(() => SlotSelection.Keep(ml, "F", "F", 4, new[] { 4 }));
        Assert.AreEqual("Slot 4 is outside the column's 4 slots. (Parameter 'keptSlots')", outside.Message);
    }
}
