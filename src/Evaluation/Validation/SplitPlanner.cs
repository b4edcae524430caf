using System.Globalization;
using Microsoft.ML;

namespace MlNetDeep;

/// <summary>
/// Decides which rows go where: K-fold assignments (plain, stratified by class, or by sorted numeric label) and
/// hold-out splits. Pure functions of the labels and a seeded <see cref="Random"/>, so equal seeds give equal splits.
/// </summary>
internal static class SplitPlanner
{
    /// <summary>Plans <paramref name="repeats"/> K-fold assignments (one fold index per row each), reading the label once.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer rows than folds.</exception>
    /// <exception cref="ArgumentException">The label column is missing or unusable, or a class has fewer rows than folds.</exception>
    /// <remarks><paramref name="labelColumnName"/> may be null only when <paramref name="mode"/> is <see cref="Stratification.None"/>.</remarks>
    public static int[][] PlanFolds(IDataView data, int folds, int repeats, string? labelColumnName, Stratification mode, int seed,
        string labelParameterName = "labelColumnName")
    {
        CheckFoldCounts(folds, repeats);
        string?[]? classes = null;
        double[]? values = null;
        if (mode != Stratification.None)
        {
            var label = LabelValues.FindScalarColumn(data, labelColumnName!, "label", labelParameterName);
            if (mode == Stratification.ByClass)
                classes = LabelValues.ReadClasses(data, label, labelParameterName);
            else
                values = LabelValues.ReadNumbers(data, label, labelParameterName);
        }
        int rows = classes?.Length ?? values?.Length ?? LabelValues.CountRows(data);
        if (rows < folds)
            throw new ArgumentOutOfRangeException("numberOfFolds",
                $"Invalid value for numberOfFolds: expected at most the number of rows ({rows}). Received: numberOfFolds={folds}.");
        if (classes is not null)
            CheckClassSizes(classes, folds, labelColumnName!);

        var rng = new Random(seed);
        var plans = new int[repeats][];
        for (int r = 0; r < repeats; r++)
            plans[r] = mode switch
            {
                Stratification.ByClass => DealByClass(classes!, folds, rng),
                Stratification.ByValueOrder => DealByValueOrder(values!, folds, rng),
                _ => Deal(Shuffled(rows, rng), folds, rng),
            };
        return plans;
    }

    /// <summary>Validates fold and repeat counts with the messages the catalog methods document.</summary>
    public static void CheckFoldCounts(int folds, int repeats)
    {
        if (folds < 2)
            throw new ArgumentOutOfRangeException("numberOfFolds", $"Invalid value for numberOfFolds: expected at least 2. Received: numberOfFolds={folds}.");
        if (repeats < 1)
            throw new ArgumentOutOfRangeException("numberOfRepeats", $"Invalid value for numberOfRepeats: expected at least 1. Received: numberOfRepeats={repeats}.");
    }

    /// <summary>
    /// Hold-out assignment: 0 = training, 1 = validation, 2 = test. Stratified (when <paramref name="classes"/> is
    /// given) by systematic sampling over the rows grouped by class, so every class keeps its share within about a row.
    /// </summary>
    public static int[] PlanHoldOut(int rows, string?[]? classes, double validationFraction, double testFraction, Random rng)
    {
        int testCount = (int)Math.Round(rows * testFraction, MidpointRounding.AwayFromZero);
        int validationCount = (int)Math.Round(rows * validationFraction, MidpointRounding.AwayFromZero);
        var order = classes is null ? Shuffled(rows, rng) : GroupedByClass(classes, rng);
        var assignment = new int[rows];
        var remaining = TakeEvenly(order, testCount, assignment, 2);
        TakeEvenly(remaining, validationCount, assignment, 1);
        return assignment;
    }

    /// <summary>Marks <paramref name="count"/> rows spread evenly along <paramref name="order"/>; returns the rest in order.</summary>
    private static int[] TakeEvenly(int[] order, int count, int[] assignment, int mark)
    {
        var rest = new List<int>(order.Length - count);
        long n = order.Length;
        for (int p = 0; p < order.Length; p++)
        {
            if ((p + 1) * (long)count / n > p * (long)count / n)
                assignment[order[p]] = mark;
            else
                rest.Add(order[p]);
        }
        return rest.ToArray();
    }

    private static void CheckClassSizes(string?[] classes, int folds, string labelColumnName)
    {
        var small = classes.Where(c => c is not null)
            .GroupBy(c => c!, StringComparer.Ordinal)
            .Where(g => g.Count() < folds)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"class '{g.Key}' has {g.Count()} {(g.Count() == 1 ? "row" : "rows")}"))
            .ToArray();
        if (small.Length > 0)
            throw new ArgumentException(
                $"Cannot stratify {folds} folds by column '{labelColumnName}': {string.Join(", ", small)}. Every class needs at least numberOfFolds rows; use fewer folds or do not stratify.",
                "data");
    }

    /// <summary>Rows shuffled within each class, classes one after another (ordinal order, missing labels last).</summary>
    private static int[] GroupedByClass(string?[] classes, Random rng)
        => Shuffled(classes.Length, rng)
            .GroupBy(i => classes[i] ?? "\uFFFF\uFFFFmissing", StringComparer.Ordinal)
            .OrderBy(g => classes[g.First()] is null)
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .SelectMany(g => g)
            .ToArray();

    private static int[] DealByClass(string?[] classes, int folds, Random rng) => Deal(GroupedByClass(classes, rng), folds, rng);

    /// <summary>Deals rows in <paramref name="order"/> round-robin to folds, fold numbers in a random order.</summary>
    private static int[] Deal(int[] order, int folds, Random rng)
    {
        var foldNames = Shuffled(folds, rng);
        var assignment = new int[order.Length];
        for (int p = 0; p < order.Length; p++)
            assignment[order[p]] = foldNames[p % folds];
        return assignment;
    }

    private static int[] DealByValueOrder(double[] values, int folds, Random rng)
    {
        // shuffle first so ties are broken at random; stable sort by value with NaN last
        var order = Shuffled(values.Length, rng)
            .OrderBy(i => double.IsNaN(values[i]))
            .ThenBy(i => double.IsNaN(values[i]) ? 0 : values[i])
            .ToArray();
        var assignment = new int[order.Length];
        for (int start = 0; start < order.Length; start += folds)
        {
            var foldNames = Shuffled(folds, rng);
            for (int j = 0; j < folds && start + j < order.Length; j++)
                assignment[order[start + j]] = foldNames[j];
        }
        return assignment;
    }

    /// <summary>0..n-1 in a Fisher–Yates random order.</summary>
    public static int[] Shuffled(int n, Random rng)
    {
        var a = Enumerable.Range(0, n).ToArray();
        for (int i = n - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (a[i], a[j]) = (a[j], a[i]);
        }
        return a;
    }
}
