using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MlNetDeep.Network;

/// <summary>
/// Parses a stored network once per text object: ML.NET's ValueMapping hands the scorer the same string (or char
/// array) on every row, so the parsed network is cached against that object and lives exactly as long as the model
/// holding it. Thread-safe.
/// </summary>
internal static class NetworkCache
{
    private static readonly ConditionalWeakTable<object, Entry> Cache = new();

    /// <summary>How many times a stored network was parsed (tests check that scoring parses once per model).</summary>
    internal static int ParseCount;

    public static ScoringNetwork Get(ReadOnlyMemory<char> text)
    {
        object? owner = null;
        int start = 0;
        if (MemoryMarshal.TryGetString(text, out var s, out int stringStart, out _))
            (owner, start) = (s, stringStart);
        else if (MemoryMarshal.TryGetArray(text, out var segment))
            (owner, start) = (segment.Array, segment.Offset);
        if (owner is null)
            return Parse(text); // never seen with ML.NET's lookups; correct, only slower
        int length = text.Length;

        if (Cache.TryGetValue(owner, out var entry) && entry.Start == start && entry.Length == length)
            return entry.Network;
        var network = Parse(text);
        Cache.AddOrUpdate(owner, new Entry(start, length, network));
        return network;
    }

    private static ScoringNetwork Parse(ReadOnlyMemory<char> text)
    {
        if (text.IsEmpty)
            throw new InvalidDataException("The model's MlNetDeep network entry is missing (the state lookup returned no text). Load the model from an intact copy.");
        Interlocked.Increment(ref ParseCount);
        return new ScoringNetwork(NetworkFormat.Read(text.Span));
    }

    private sealed record Entry(int Start, int Length, ScoringNetwork Network);
}
