using Microsoft.ML;
using MlNetDeep.TestUtilities;

namespace MlNetDeep.Transforms.Tests;

[TestClass]
public sealed class SlotSelectionTests
{
    [TestMethod]
    public void Keep_ChosenSlots_KeepsExactlyThoseSlotsWithTheirNames()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Vectors(ml, new[]
        {
            new[] { 0f, 1f, 2f, 3f, 4f, 5f },
            new[] { 10f, 11f, 12f, 13f, 14f, 15f },
        }, slotNames: new[] { "a", "b", "c", "d", "e", "f" });

        var selector = SlotSelection.Keep(ml, "Kept", "Features", 6, new[] { 5, 0, 2, 2 });
        var output = selector.Transform(data);

        var rows = Columns.Vectors(output, "Kept");
        CollectionAssert.AreEqual(new[] { 0f, 2f, 5f }, rows[0]);
        CollectionAssert.AreEqual(new[] { 10f, 12f, 15f }, rows[1]);
        CollectionAssert.AreEqual(new[] { "a", "c", "f" }, TestData.SlotNames(output.Schema["Kept"]));
    }

    [TestMethod]
    public void Keep_SlotThatIsZeroInEveryRow_IsStillKept()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Vectors(ml, new[] { new[] { 0f, 7f, 0f }, new[] { 0f, 8f, 0f } });

        var output = SlotSelection.Keep(ml, "Kept", "Features", 3, new[] { 0, 2 }).Transform(data);

        var rows = Columns.Vectors(output, "Kept");
        CollectionAssert.AreEqual(new[] { 0f, 0f }, rows[0]);
        CollectionAssert.AreEqual(new[] { 0f, 0f }, rows[1]);
    }

    [TestMethod]
    public void Keep_AllSlots_IsIdentity()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Vectors(ml, new[] { new[] { 1f, 2f } });

        var output = SlotSelection.Keep(ml, "Kept", "Features", 2, new[] { 0, 1 }).Transform(data);

        CollectionAssert.AreEqual(new[] { 1f, 2f }, Columns.Vectors(output, "Kept")[0]);
    }

    [TestMethod]
    public void Keep_NoSlot_ThrowsNamingTheColumn()
    {
        var ml = new MLContext(seed: 1);
        var e = Assert.ThrowsExactly<ArgumentException>(() => SlotSelection.Keep(ml, "Kept", "Features", 3, Array.Empty<int>()));
        StringAssert.StartsWith(e.Message, "No slot of column 'Features' would be kept; at least one must be.");
    }

    [TestMethod]
    public void Keep_SlotOutsideRange_Throws()
    {
        var ml = new MLContext(seed: 1);
        var e = Assert.ThrowsExactly<ArgumentException>(() => SlotSelection.Keep(ml, "Kept", "Features", 3, new[] { 3 }));
        StringAssert.StartsWith(e.Message, "Slot 3 is outside the column's 3 slots.");
    }
}
