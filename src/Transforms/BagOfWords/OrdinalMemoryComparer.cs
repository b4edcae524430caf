namespace MlNetDeep.BagOfWords;

/// <summary>Ordinal equality of character memories by content.</summary>
internal sealed class OrdinalMemoryComparer : IEqualityComparer<ReadOnlyMemory<char>>
{
    public static readonly OrdinalMemoryComparer Instance = new();

    public bool Equals(ReadOnlyMemory<char> x, ReadOnlyMemory<char> y) => x.Span.SequenceEqual(y.Span);

    public int GetHashCode(ReadOnlyMemory<char> obj) => string.GetHashCode(obj.Span, StringComparison.Ordinal);
}
