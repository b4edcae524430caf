using System.Numerics;

namespace MlNetDeep.BagOfWords;

/// <summary>
/// Keeps each token of one document once, in order of first occurrence: an open-addressing set over the document's
/// tokens whose slots are invalidated by a generation number, so a thread reuses it for every document without
/// clearing it. Tokens are hashed with the process-randomized string hash (no text can be crafted to make probing slow).
/// </summary>
internal sealed class DistinctTokens
{
    private const int LargestKept = 1 << 16; // slots kept for the next document; a larger document's are dropped after it

    [ThreadStatic]
    private static DistinctTokens? t_instance;

    private int[] _stamps = new int[256];
    private int[] _firsts = new int[256]; // index into the kept tokens of the token in this slot
    private ReadOnlyMemory<char>[] _kept = new ReadOnlyMemory<char>[128];
    private int _generation;

    /// <summary>Each token of <paramref name="tokens"/> once, in order of first occurrence (ordinal comparison).</summary>
    public static ReadOnlyMemory<char>[] Of(ReadOnlySpan<ReadOnlyMemory<char>> tokens)
    {
        if (tokens.Length <= 1)
            return tokens.ToArray();
        var set = t_instance ??= new DistinctTokens();
        var result = set.Distinct(tokens);
        if (set._stamps.Length > LargestKept)
            t_instance = null;
        return result;
    }

    private ReadOnlyMemory<char>[] Distinct(ReadOnlySpan<ReadOnlyMemory<char>> tokens)
    {
        int size = (int)BitOperations.RoundUpToPowerOf2((uint)tokens.Length * 2);
        if (_stamps.Length < size)
        {
            _stamps = new int[size];
            _firsts = new int[size];
            _generation = 0;
        }
        if (_kept.Length < tokens.Length)
            _kept = new ReadOnlyMemory<char>[tokens.Length];
        if (++_generation == int.MaxValue)
        {
            Array.Clear(_stamps);
            _generation = 1;
        }
        int mask = size - 1, count = 0, generation = _generation;
        foreach (var token in tokens)
        {
            var span = token.Span;
            int i = string.GetHashCode(span) & mask;
            bool seen = false;
            while (_stamps[i] == generation)
            {
                if (_kept[_firsts[i]].Span.SequenceEqual(span))
                {
                    seen = true;
                    break;
                }
                i = (i + 1) & mask;
            }
            if (!seen)
            {
                _stamps[i] = generation;
                _firsts[i] = count;
                _kept[count++] = token;
            }
        }
        var result = _kept.AsSpan(0, count).ToArray();
        _kept.AsSpan(0, count).Clear(); // hold no document's memory until the next call
        return result;
    }
}
