using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MlNetDeep.MutualInformation;

/// <summary>Per-slot bin edges: equal-width (offset and scale) or quantile (sorted edges). Bin BinCount holds NaN.</summary>
internal sealed class SlotBins
{
    private readonly float[] _min;
    private readonly float[] _scale;
    private readonly float[][]? _edges;

    private SlotBins(int binCount, float[] min, float[] scale, float[][]? edges)
    {
        BinCount = binCount;
        _min = min;
        _scale = scale;
        _edges = edges;
    }

    /// <summary>The number of value bins per slot (NaN goes to one more bin after them).</summary>
    public int BinCount { get; }

    /// <summary>Equal-width bins between each slot's smallest and largest finite value; a constant slot has one bin.</summary>
    public static SlotBins EqualWidth(float[] min, float[] max, int bins)
    {
        var offset = new float[min.Length];
        var scale = new float[min.Length];
        for (int j = 0; j < min.Length; j++)
        {
            // the range is that of the finite values: ±∞ clamp to the end bins, NaN has its own bin
            double lo = min[j], hi = max[j];
            if (!(hi > lo))
            {
                offset[j] = float.IsFinite(min[j]) ? min[j] : 0f;
                scale[j] = 0f;
            }
            else
            {
                offset[j] = (float)lo;
                scale[j] = (float)(bins / (hi - lo));
            }
        }
        return new SlotBins(bins, offset, scale, null);
    }

    /// <summary>Quantile bins from sampled rows: edges at the i/bins quantiles of each slot's finite values, equal edges merged.</summary>
    public static SlotBins Quantiles(List<float[]> sample, int size, int bins)
    {
        var edges = new float[size][];
        var values = new float[sample.Count];
        for (int j = 0; j < size; j++)
        {
            int m = 0;
            foreach (var row in sample)
                if (float.IsFinite(row[j]))
                    values[m++] = row[j];
            Array.Sort(values, 0, m);
            var slotEdges = new List<float>();
            for (int i = 1; i < bins && m > 0; i++)
            {
                float e = values[(int)((long)i * m / bins)];
                if (e > values[0] && (slotEdges.Count == 0 || e > slotEdges[^1]))
                    slotEdges.Add(e);
            }
            edges[j] = slotEdges.ToArray();
        }
        return new SlotBins(bins, new float[size], new float[size], edges);
    }

    /// <summary>Updates per-slot minima and maxima of the finite values with one row (NaN and ±∞ are ignored: they do not define the range).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void UpdateRange(ReadOnlySpan<float> row, Span<float> min, Span<float> max)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j <= row.Length - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                var v = Vector256.Create(row.Slice(j, Vector256<float>.Count));
                var lo = Vector256.Create(min.Slice(j, Vector256<float>.Count));
                var hi = Vector256.Create(max.Slice(j, Vector256<float>.Count));
                var finite = Vector256.Equals(v - v, Vector256<float>.Zero); // ∞ − ∞ and NaN − NaN are NaN
                Vector256.ConditionalSelect(Vector256.LessThan(v, lo) & finite, v, lo).CopyTo(min.Slice(j));
                Vector256.ConditionalSelect(Vector256.GreaterThan(v, hi) & finite, v, hi).CopyTo(max.Slice(j));
            }
        }
        for (; j < row.Length; j++)
        {
            float v = row[j];
            if (!float.IsFinite(v))
                continue;
            if (v < min[j]) min[j] = v;
            if (v > max[j]) max[j] = v;
        }
    }

    /// <summary>
    /// Adds one row's values of slots <paramref name="start"/> to <paramref name="end"/> − 1 to their histograms:
    /// counts[offsets[j − start] + bin] += 1. The hot loop of mutual-information scoring.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void CountRange(int start, int end, ReadOnlySpan<float> values, ReadOnlySpan<int> offsets, int[] counts)
    {
        ref int histogram = ref MemoryMarshal.GetArrayDataReference(counts);
        int j = start;
        if (_edges is null && Vector256.IsHardwareAccelerated)
        {
            var top = Vector256.Create((float)BinCount);
            var last = Vector256.Create((float)(BinCount - 1));
            var nanBin = Vector256.Create(BinCount);
            for (; j <= end - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                var x = Vector256.Create(values.Slice(j - start, Vector256<float>.Count));
                // eight zeros (image borders, sparse rows) are not counted here: the caller adds the missing rows to
                // each slot's bin of 0 afterwards (see AddSkippedZeros)
                if (Vector256.EqualsAll(x, Vector256<float>.Zero))
                    continue;
                var t = (x - Vector256.Create(_min.AsSpan(j, Vector256<float>.Count))) * Vector256.Create(_scale.AsSpan(j, Vector256<float>.Count));
                t = Vector256.ConditionalSelect(Vector256.GreaterThan(t, Vector256<float>.Zero), t, Vector256<float>.Zero);
                t = Vector256.ConditionalSelect(Vector256.LessThan(t, top), t, last);
                var b = Vector256.ConditionalSelect(Vector256.Equals(x, x).AsInt32(), Vector256.ConvertToInt32(t), nanBin);
                var at = b + Vector256.Create(offsets.Slice(j - start, Vector256<int>.Count));
                Unsafe.Add(ref histogram, at.GetElement(0))++;
                Unsafe.Add(ref histogram, at.GetElement(1))++;
                Unsafe.Add(ref histogram, at.GetElement(2))++;
                Unsafe.Add(ref histogram, at.GetElement(3))++;
                Unsafe.Add(ref histogram, at.GetElement(4))++;
                Unsafe.Add(ref histogram, at.GetElement(5))++;
                Unsafe.Add(ref histogram, at.GetElement(6))++;
                Unsafe.Add(ref histogram, at.GetElement(7))++;
            }
        }
        for (; j < end; j++)
            counts[offsets[j - start] + Bin(j, values[j - start])]++;
    }

    /// <summary>
    /// Completes histograms from which some zero values were skipped: every (slot, class) histogram must hold
    /// <paramref name="classTotals"/>[class] rows, and the missing ones were zeros, so they go to the slot's bin of 0.
    /// </summary>
    public void AddSkippedZeros(int[] counts, int size, int classes, long[] classTotals)
    {
        int binSlots = BinCount + 1;
        for (int j = 0; j < size; j++)
        {
            int zeroBin = Bin(j, 0f);
            for (int c = 0; c < classes; c++)
            {
                int at = ((j * classes) + c) * binSlots;
                long counted = 0;
                for (int b = 0; b < binSlots; b++)
                    counted += counts[at + b];
                counts[at + zeroBin] += (int)(classTotals[c] - counted);
            }
        }
    }

    /// <summary>The bin of value <paramref name="v"/> in slot <paramref name="slot"/>.</summary>
    public int Bin(int slot, float v)
    {
        if (float.IsNaN(v))
            return BinCount;
        if (_edges is not null)
        {
            // number of edges ≤ v
            var e = _edges[slot];
            int lo = 0, hi = e.Length;
            while (lo < hi)
            {
                int mid = (lo + hi) >> 1;
                if (e[mid] <= v) lo = mid + 1;
                else hi = mid;
            }
            return lo;
        }
        float t = (v - _min[slot]) * _scale[slot];
        // below 0 (or NaN from ∞·0 in a constant slot) → 0; at or above BinCount (or +∞) → BinCount − 1
        return t > 0f ? (t < BinCount ? (int)t : BinCount - 1) : 0;
    }
}
