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
            // ±∞ and NaN do not define the range: ±∞ clamp to the end bins, NaN has its own bin
            double lo = float.IsFinite(min[j]) ? min[j] : double.NaN;
            double hi = float.IsFinite(max[j]) ? max[j] : double.NaN;
            if (double.IsNaN(lo) || double.IsNaN(hi) || !(hi > lo))
            {
                offset[j] = double.IsNaN(lo) ? (double.IsNaN(hi) ? 0f : (float)hi) : (float)lo;
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
        int b = (int)((v - _min[slot]) * _scale[slot]); // saturating conversion: ±∞ clamp below
        return b < 0 ? 0 : b >= BinCount ? BinCount - 1 : b;
    }
}
