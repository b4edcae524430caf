using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep;

/// <summary>The task-independent loop of permutation feature importance behind the catalog methods.</summary>
internal static class PermutationImportanceRunner
{
    /// <summary>The score column every ML.NET evaluator reads by default.</summary>
    public const string ScoreColumnName = "Score";

    /// <summary>The annotation kind ML.NET stores slot names under.</summary>
    private const string SlotNamesKind = "SlotNames";

    /// <summary>Floats held at once while reading slot values (64 MB); wider data is read in several passes.</summary>
    private const long SlotValuesPerPass = 16_000_000;

    public static PermutationFeatureImportanceResult<TMetrics> Run<TMetrics>(ITransformer model, IDataView data,
        string labelColumnName, string featureColumnName, int? numberOfExamplesToUse, int permutationCount, int? seed,
        string primaryMetric, Func<IDataView, TMetrics> evaluate, Func<TMetrics, IReadOnlyDictionary<string, double>> metricValues)
        where TMetrics : class
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(labelColumnName);
        ArgumentNullException.ThrowIfNull(featureColumnName);
        if (permutationCount < 1)
            throw new ArgumentOutOfRangeException(nameof(permutationCount), string.Create(CultureInfo.InvariantCulture,
                $"Invalid value for permutationCount: expected at least 1. Received: permutationCount={permutationCount}."));
        if (numberOfExamplesToUse is < 2)
            throw new ArgumentOutOfRangeException(nameof(numberOfExamplesToUse), string.Create(CultureInfo.InvariantCulture,
                $"Invalid value for numberOfExamplesToUse: expected null (every row) or at least 2. Received: numberOfExamplesToUse={numberOfExamplesToUse}."));

        var split = ModelSplit.Find(model, data.Schema, featureColumnName, ScoreColumnName);
        if (split.OutputSchema.GetColumnOrNull(labelColumnName) is null)
            throw new ArgumentException(
                Common.SchemaErrors.MissingMessage("label", labelColumnName, split.OutputSchema) + " (Looked in the model's output, which the evaluator reads.)",
                nameof(labelColumnName));

        // the steps up to the feature column run once; the cache keeps their output for every permutation
        var ml = new MLContext(seed: 0);
        var rows = numberOfExamplesToUse is int n ? ml.Data.TakeRows(data, n) : data;
        var prefixed = ml.Data.Cache(split.ApplyPrefix(rows));
        int rowCount = LabelValues.CountRows(prefixed);
        if (rowCount < 2)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Permutation feature importance needs at least 2 rows to permute; the data has {rowCount}."), nameof(data));
        var baseline = evaluate(split.ApplySuffix(prefixed));
        var baselineValues = metricValues(baseline);

        var column = prefixed.Schema[split.FeatureColumn.Name];
        int slotCount = ((VectorDataViewType)column.Type).Size;
        var names = FeatureNames(column, slotCount);
        int actualSeed = seed ?? Random.Shared.Next();
        var features = new FeatureImportance[slotCount];
        int slotsPerPass = (int)Math.Clamp(SlotValuesPerPass / rowCount, 1, slotCount);
        for (int first = 0; first < slotCount; first += slotsPerPass)
        {
            int count = Math.Min(slotsPerPass, slotCount - first);
            var values = ReadSlots(prefixed, column, first, count, rowCount);
            for (int k = 0; k < count; k++)
            {
                int slot = first + k;
                var deltas = baselineValues.Keys.ToDictionary(m => m, _ => new List<double>(permutationCount));
                if (IsConstant(values[k]))
                {
                    // shuffling equal values leaves every row as it was: the metrics cannot change
                    foreach (var (metric, list) in deltas)
                        list.AddRange(Enumerable.Repeat(baselineValues[metric] - baselineValues[metric], permutationCount));
                }
                else
                {
                    var rng = new Random(SlotSeed(actualSeed, slot));
                    for (int r = 0; r < permutationCount; r++)
                    {
                        var permuted = Permute(values[k], rng);
                        var scores = metricValues(evaluate(split.ApplySuffix(new SlotPermutedDataView(prefixed, column, slot, permuted))));
                        foreach (var (metric, list) in deltas)
                            list.Add(scores.TryGetValue(metric, out var value) ? value - baselineValues[metric] : double.NaN);
                    }
                }
                features[slot] = new FeatureImportance(names[slot], slot,
                    baselineValues.Keys.Select(m => MetricSummary.FromValues(m, deltas[m])).ToArray());
            }
        }
        return new PermutationFeatureImportanceResult<TMetrics>(baseline, baselineValues, features, featureColumnName, primaryMetric,
            permutationCount, rowCount, actualSeed);
    }

    /// <summary>Slot names, with "column[i]" for a slot that has no name or shares it with another slot.</summary>
    private static string[] FeatureNames(DataViewSchema.Column column, int slotCount)
    {
        var names = new string[slotCount];
        if (column.Annotations.Schema.GetColumnOrNull(SlotNamesKind) is { Type: VectorDataViewType { ItemType: TextDataViewType } })
        {
            VBuffer<ReadOnlyMemory<char>> slotNames = default;
            column.Annotations.GetValue(SlotNamesKind, ref slotNames);
            for (int i = 0; i < slotCount && i < slotNames.Length; i++)
                names[i] = slotNames.GetItemOrDefault(i).ToString();
        }
        var counts = names.Where(n => !string.IsNullOrEmpty(n)).GroupBy(n => n, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        for (int i = 0; i < slotCount; i++)
        {
            if (string.IsNullOrEmpty(names[i]) || counts[names[i]] > 1)
                names[i] = string.Create(CultureInfo.InvariantCulture, $"{column.Name}[{i}]");
        }
        // a slot literally named like another slot's fallback ("Features[3]"): use the fallback for every slot
        if (names.Distinct(StringComparer.Ordinal).Count() < slotCount)
            names = Enumerable.Range(0, slotCount).Select(i => string.Create(CultureInfo.InvariantCulture, $"{column.Name}[{i}]")).ToArray();
        return names;
    }

    /// <summary>The values of slots [first, first + count) in every row: result[k][row].</summary>
    private static float[][] ReadSlots(IDataView data, DataViewSchema.Column column, int first, int count, int rowCount)
    {
        var values = Enumerable.Range(0, count).Select(_ => new float[rowCount]).ToArray();
        using var cursor = data.GetRowCursor(new[] { column });
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> row = default;
        int r = 0;
        while (cursor.MoveNext())
        {
            if (r >= rowCount)
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"The data returned more than the {rowCount} rows it had on the first pass; permutation feature importance needs rows that are stable between passes."));
            getter(ref row);
            for (int k = 0; k < count; k++)
                values[k][r] = row.GetItemOrDefault(first + k);
            r++;
        }
        return values;
    }

    private static bool IsConstant(float[] values)
    {
        for (int i = 1; i < values.Length; i++)
        {
            if (!values[i].Equals(values[0]))
                return false;
        }
        return true;
    }

    /// <summary>Row i takes the slot's value of row p(i), for a uniformly random permutation p (Fisher–Yates).</summary>
    private static float[] Permute(float[] values, Random rng)
    {
        var permuted = (float[])values.Clone();
        for (int i = permuted.Length - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (permuted[i], permuted[j]) = (permuted[j], permuted[i]);
        }
        return permuted;
    }

    /// <summary>Each slot draws from its own generator, so a slot's permutations depend only on the seed and the slot.</summary>
    private static int SlotSeed(int seed, int slot) => unchecked(seed * 1_000_003 + slot);
}
