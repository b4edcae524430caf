using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Common;

namespace MlNetDeep.MutualInformation;

/// <summary>
/// Scores every slot of a Single vector column by its plug-in mutual information (nats) with a label, from
/// joint histograms counted in two streaming passes (bin edges, then counts). Rows are read in blocks and the
/// histograms of disjoint slot ranges are counted in parallel, so memory stays at one block plus the histograms.
/// </summary>
internal sealed class MutualInformationScorer
{
    private const int SlotsPerTask = 16;
    private const int BlockValues = 1 << 21;

    private readonly MutualInformationSelectionOptions _options;
    private readonly string _inputColumn;

    public MutualInformationScorer(MutualInformationSelectionOptions options, string inputColumn)
    {
        _options = options;
        _inputColumn = inputColumn;
    }

    /// <summary>Scores the slots of the input column of <paramref name="data"/>; one score per slot.</summary>
    /// <exception cref="ArgumentException">A column is missing or has an unsupported type.</exception>
    /// <exception cref="InvalidOperationException">No row has a usable label.</exception>
    public double[] Score(IDataView data)
    {
        int size = SchemaChecks.KnownSizeSingleVector(data.Schema, _inputColumn);
        var label = LabelReader.Create(data.Schema, _options.LabelColumnName, _options.NumberOfLabelBins);
        var bins = FirstPass(data, size, label);
        var counts = CountHistograms(data, size, label, bins, out var classTotals, out long rows);
        if (rows == 0)
            throw new InvalidOperationException($"No row of the data has a usable label in column '{_options.LabelColumnName}' (all are missing or NaN); mutual information needs at least one.");
        return MutualInformation(counts, size, bins.BinCount + 1, label.ClassCount, classTotals, rows);
    }

    private SlotBins FirstPass(IDataView data, int size, LabelReader label)
    {
        var min = new float[size];
        var max = new float[size];
        Array.Fill(min, float.PositiveInfinity);
        Array.Fill(max, float.NegativeInfinity);
        var reservoir = _options.Binning == BinningStrategy.Quantile ? new List<float[]>() : null;
        var random = new Random(0);
        long seen = 0;
        var feature = data.Schema[_inputColumn];
        using var cursor = data.GetRowCursor(new[] { feature, data.Schema[_options.LabelColumnName] });
        var getter = cursor.GetGetter<VBuffer<float>>(feature);
        var labelGetter = label.Bind(cursor);
        VBuffer<float> row = default;
        var dense = new float[size];
        while (cursor.MoveNext())
        {
            label.Observe(labelGetter);
            getter(ref row);
            row.CopyTo(dense);
            for (int j = 0; j < dense.Length; j++)
            {
                float v = dense[j];
                if (v < min[j]) min[j] = v;
                if (v > max[j]) max[j] = v;
            }
            if (reservoir is not null)
            {
                seen++;
                if (reservoir.Count < _options.QuantileSampleSize)
                    reservoir.Add((float[])dense.Clone());
                else
                {
                    long k = random.NextInt64(seen);
                    if (k < reservoir.Count)
                        Array.Copy(dense, reservoir[(int)k], size);
                }
            }
        }
        label.CompleteFirstPass();
        return reservoir is null
            ? SlotBins.EqualWidth(min, max, _options.NumberOfBins)
            : SlotBins.Quantiles(reservoir, size, _options.NumberOfBins);
    }

    private int[] CountHistograms(IDataView data, int size, LabelReader label, SlotBins bins, out long[] classTotals, out long rows)
    {
        int binSlots = bins.BinCount + 1; // the last bin holds NaN
        int classes = label.ClassCount;
        var counts = new int[(long)size * binSlots * classes is var total && total <= int.MaxValue
            ? (int)total
            : throw new InvalidOperationException($"Column '{_inputColumn}' has {size} slots; with {bins.BinCount} bins and {classes} classes the histograms would exceed 2^31 counts. Use fewer bins.")];
        classTotals = new long[classes];
        int blockRows = Math.Max(1, BlockValues / Math.Max(1, size));
        var block = new float[(long)blockRows * size];
        var classes1 = new int[blockRows];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.NumberOfThreads ?? Environment.ProcessorCount };
        int chunks = (size + SlotsPerTask - 1) / SlotsPerTask;

        var feature = data.Schema[_inputColumn];
        using var cursor = data.GetRowCursor(new[] { feature, data.Schema[_options.LabelColumnName] });
        var getter = cursor.GetGetter<VBuffer<float>>(feature);
        var labelGetter = label.Bind(cursor);
        VBuffer<float> row = default;
        rows = 0;
        int filled = 0;
        void Flush()
        {
            int n = filled;
            Parallel.For(0, chunks, parallel, chunk =>
            {
                int start = chunk * SlotsPerTask;
                int end = Math.Min(size, start + SlotsPerTask);
                for (int r = 0; r < n; r++)
                {
                    int offset = r * size;
                    int c = classes1[r];
                    for (int j = start; j < end; j++)
                        counts[((j * binSlots) + bins.Bin(j, block[offset + j])) * classes + c]++;
                }
            });
            filled = 0;
        }
        while (cursor.MoveNext())
        {
            int c = label.Class(labelGetter);
            if (c < 0)
                continue;
            getter(ref row);
            row.CopyTo(block.AsSpan(filled * size, size));
            classes1[filled++] = c;
            classTotals[c]++;
            rows++;
            if (filled == blockRows)
                Flush();
        }
        if (filled > 0)
            Flush();
        return counts;
    }

    private static double[] MutualInformation(int[] counts, int size, int binSlots, int classes, long[] classTotals, long rows)
    {
        var scores = new double[size];
        double n = rows;
        for (int j = 0; j < size; j++)
        {
            int nonEmpty = 0;
            double sum = 0;
            for (int b = 0; b < binSlots; b++)
            {
                int at = ((j * binSlots) + b) * classes;
                long nb = 0;
                for (int c = 0; c < classes; c++)
                    nb += counts[at + c];
                if (nb == 0)
                    continue;
                nonEmpty++;
                for (int c = 0; c < classes; c++)
                {
                    int nbc = counts[at + c];
                    if (nbc > 0)
                        sum += nbc * Math.Log(nbc * n / ((double)nb * classTotals[c]));
                }
            }
            // one value (or one bin) carries no information: exactly 0, not a rounding residue
            scores[j] = nonEmpty <= 1 ? 0 : Math.Max(0, sum / n);
        }
        return scores;
    }
}
