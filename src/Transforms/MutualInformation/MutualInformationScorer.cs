using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Common;

namespace MlNetDeep.MutualInformation;

/// <summary>
/// Scores every slot of a Single vector column by its mutual information (nats) with a label (plug-in estimate,
/// optionally Miller–Madow corrected), from
/// joint histograms counted in two streaming passes (bin edges, then counts). Rows are read in blocks and the
/// histograms of disjoint slot ranges are counted in parallel, so memory stays at one block plus the histograms.
/// </summary>
internal sealed class MutualInformationScorer
{
    private const int SlotsPerTask = 32;
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
            SlotBins.UpdateRange(dense, min, max);
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
        var rowClasses = new int[blockRows];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.NumberOfThreads ?? Environment.ProcessorCount };
        int chunks = (size + SlotsPerTask - 1) / SlotsPerTask;

        var feature = data.Schema[_inputColumn];
        using var cursor = data.GetRowCursor(new[] { feature, data.Schema[_options.LabelColumnName] });
        var getter = cursor.GetGetter<VBuffer<float>>(feature);
        var labelGetter = label.Bind(cursor);
        VBuffer<float> row = default;
        rows = 0;
        int filled = 0;
        long totalRows = data.GetRowCount() ?? 0; // 0 when the view cannot say without a pass
        long reportEvery = Math.Max(blockRows, totalRows / 20), nextReport = reportEvery;
        var progress = _options.Progress;
        var order = new int[blockRows];
        var classStart = new int[classes + 1];
        void Flush()
        {
            int n = filled;
            // counting sort of the block's rows by class: each (slot, class) histogram is then filled in one run
            Array.Clear(classStart);
            for (int r = 0; r < n; r++)
                classStart[rowClasses[r] + 1]++;
            for (int c = 0; c < classes; c++)
                classStart[c + 1] += classStart[c];
            var next = (int[])classStart.Clone();
            for (int r = 0; r < n; r++)
                order[next[rowClasses[r]]++] = r;
            Parallel.For(0, chunks, parallel, chunk =>
            {
                int start = chunk * SlotsPerTask;
                int end = Math.Min(size, start + SlotsPerTask);
                Span<int> offsets = stackalloc int[SlotsPerTask];
                for (int c = 0; c < classes; c++)
                {
                    // offset of histogram (slot j, class c) in counts
                    for (int j = start; j < end; j++)
                        offsets[j - start] = ((j * classes) + c) * binSlots;
                    for (int i = classStart[c]; i < classStart[c + 1]; i++)
                        bins.CountRange(start, end, block.AsSpan((order[i] * size) + start, end - start), offsets, counts);
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
            rowClasses[filled++] = c;
            classTotals[c]++;
            rows++;
            if (filled == blockRows)
                Flush();
            if (progress is not null && rows >= nextReport)
            {
                nextReport += reportEvery;
                progress.Report(new OperationProgress("SelectByMutualInformation", (int)Math.Min(rows, int.MaxValue), (int)Math.Min(Math.Max(totalRows, rows), int.MaxValue),
                    string.Create(System.Globalization.CultureInfo.InvariantCulture, $"histograms of {size} slots over {rows} rows")));
            }
        }
        if (filled > 0)
            Flush();
        progress?.Report(new OperationProgress("SelectByMutualInformation", (int)Math.Min(rows, int.MaxValue), (int)Math.Min(rows, int.MaxValue),
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"histograms of {size} slots over all {rows} rows")));
        bins.AddSkippedZeros(counts, size, classes, classTotals);
        return counts;
    }

    private double[] MutualInformation(int[] counts, int size, int binSlots, int classes, long[] classTotals, long rows)
    {
        var scores = new double[size];
        double n = rows;
        int usedClasses = classTotals.Count(t => t > 0);
        bool millerMadow = _options.BiasCorrection == MutualInformationBiasCorrection.MillerMadow;
        for (int j = 0; j < size; j++)
        {
            int nonEmptyBins = 0, nonEmptyCells = 0;
            double sum = 0;
            for (int b = 0; b < binSlots; b++)
            {
                long nb = 0;
                for (int c = 0; c < classes; c++)
                    nb += counts[(((j * classes) + c) * binSlots) + b];
                if (nb == 0)
                    continue;
                nonEmptyBins++;
                for (int c = 0; c < classes; c++)
                {
                    int nbc = counts[(((j * classes) + c) * binSlots) + b];
                    if (nbc > 0)
                    {
                        nonEmptyCells++;
                        sum += nbc * Math.Log(nbc * n / ((double)nb * classTotals[c]));
                    }
                }
            }
            // one value (or one bin) carries no information: exactly 0, not a rounding residue
            if (nonEmptyBins <= 1)
                scores[j] = 0;
            else if (millerMadow)
                scores[j] = (sum / n) - ((nonEmptyCells - nonEmptyBins - usedClasses + 1) / (2 * n));
            else
                scores[j] = Math.Max(0, sum / n);
        }
        return scores;
    }
}
