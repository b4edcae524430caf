using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep;

/// <summary>
/// A named set of slots of a vector feature column to remove in an ablation study, e.g. "noise channels"
/// (slots 784–1567) or "image border"; given by slot indices, a range, or slot names.
/// </summary>
public sealed class FeatureGroup
{
    private readonly int[]? _slots;
    private readonly string[]? _names;

    private FeatureGroup(string name, int[]? slots, string[]? names)
    {
        Name = name;
        _slots = slots;
        _names = names;
    }

    /// <summary>A group of the given slot indices (duplicates are ignored).</summary>
    /// <param name="name">The group's name, shown in reports.</param>
    /// <param name="slotIndices">0-based slot indices; at least one.</param>
    /// <returns>The group.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, or there are no slots.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A slot index is negative.</exception>
    public static FeatureGroup FromSlots(string name, IEnumerable<int> slotIndices)
    {
        CheckName(name);
        ArgumentNullException.ThrowIfNull(slotIndices);
        var slots = slotIndices.Distinct().Order().ToArray();
        if (slots.Length == 0)
            throw Empty(name, nameof(slotIndices));
        if (slots[0] < 0)
            throw new ArgumentOutOfRangeException(nameof(slotIndices),
                string.Create(CultureInfo.InvariantCulture, $"Feature group '{name}' has slot {slots[0]}: expected slot indices of at least 0."));
        return new FeatureGroup(name, slots, null);
    }

    /// <summary>A group of <paramref name="count"/> consecutive slots starting at <paramref name="start"/>.</summary>
    /// <param name="name">The group's name, shown in reports.</param>
    /// <param name="start">The first slot, 0-based.</param>
    /// <param name="count">How many slots; at least 1.</param>
    /// <returns>The group.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, or <paramref name="count"/> is below 1 (an empty group).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="start"/> is negative.</exception>
    public static FeatureGroup FromRange(string name, int start, int count)
    {
        CheckName(name);
        if (start < 0)
            throw new ArgumentOutOfRangeException(nameof(start),
                string.Create(CultureInfo.InvariantCulture, $"Invalid value for start: expected at least 0. Received: start={start}."));
        if (count < 1)
            throw Empty(name, nameof(count));
        return new FeatureGroup(name, Enumerable.Range(start, count).ToArray(), null);
    }

    /// <summary>A group of the slots with the given names (the feature column's <c>SlotNames</c>, resolved when the study runs).</summary>
    /// <param name="name">The group's name, shown in reports.</param>
    /// <param name="slotNames">Slot names; at least one.</param>
    /// <returns>The group.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, or there are no slot names.</exception>
    public static FeatureGroup FromSlotNames(string name, IEnumerable<string> slotNames)
    {
        CheckName(name);
        ArgumentNullException.ThrowIfNull(slotNames);
        var names = slotNames.Distinct(StringComparer.Ordinal).ToArray();
        if (names.Length == 0)
            throw Empty(name, nameof(slotNames));
        return new FeatureGroup(name, null, names);
    }

    /// <summary>The group's name, e.g. "noise channels".</summary>
    public string Name { get; }

    /// <summary>The slot indices, ascending, when the group was made from indices or a range; otherwise null.</summary>
    public IReadOnlyList<int>? SlotIndices => _slots;

    /// <summary>The slot names when the group was made from names; otherwise null.</summary>
    public IReadOnlyList<string>? SlotNames => _names;

    /// <summary>The name and the slots, e.g. "noise channels (4 slots)".</summary>
    /// <returns>The description.</returns>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{Name} ({_slots?.Length ?? _names!.Length} slots)");

    /// <summary>The slot indices this group removes from a column of <paramref name="size"/> slots.</summary>
    /// <exception cref="ArgumentException">A slot is outside the column, a name is unknown, or nothing would remain.</exception>
    internal int[] Resolve(DataViewSchema.Column column, int size)
    {
        int[] slots;
        if (_slots is not null)
        {
            var outside = _slots.Where(s => s >= size).ToArray();
            if (outside.Length > 0)
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Feature group '{Name}' refers to slot {outside[0]}, but column '{column.Name}' has {size} slots."), "featureGroups");
            slots = _slots;
        }
        else
        {
            var slotNames = ReadSlotNames(column)
                ?? throw new ArgumentException($"Feature group '{Name}' names slots, but column '{column.Name}' has no slot names.", "featureGroups");
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < slotNames.Length; i++)
                index.TryAdd(slotNames[i], i);
            var unknown = _names!.Where(n => !index.ContainsKey(n)).ToArray();
            if (unknown.Length > 0)
                throw new ArgumentException(
                    $"Feature group '{Name}' names slots that column '{column.Name}' does not have: {string.Join(", ", unknown.Select(n => $"'{n}'"))}.", "featureGroups");
            slots = _names!.Select(n => index[n]).Order().ToArray();
        }
        if (slots.Length >= size)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Feature group '{Name}' removes all {size} slots of column '{column.Name}'; at least one must remain."), "featureGroups");
        return slots;
    }

    private static string[]? ReadSlotNames(DataViewSchema.Column column)
    {
        if (column.Annotations.Schema.GetColumnOrNull("SlotNames") is not { Type: VectorDataViewType { ItemType: TextDataViewType } })
            return null;
        VBuffer<ReadOnlyMemory<char>> names = default;
        column.Annotations.GetValue("SlotNames", ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }

    private static void CheckName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException($"Invalid value for name: expected a non-empty group name. Received: name='{name}'.", nameof(name));
    }

    private static ArgumentException Empty(string name, string parameter)
        => new($"Feature group '{name}' is empty: expected at least one slot.", parameter);
}
