namespace MlNetDeep;

/// <summary>A contiguous range of slots of a vector column: slots <see cref="Start"/> to <see cref="Start"/> + <see cref="Count"/> − 1.</summary>
/// <param name="Start">The first slot.</param>
/// <param name="Count">The number of slots.</param>
public readonly record struct SlotRange(int Start, int Count)
{
    /// <summary>The slot after the last one.</summary>
    public int End => Start + Count;

    /// <summary>Whether <paramref name="slot"/> lies in the range.</summary>
    /// <param name="slot">A slot index.</param>
    /// <returns>True when Start ≤ slot &lt; End.</returns>
    public bool Contains(int slot) => slot >= Start && slot < End;
}
