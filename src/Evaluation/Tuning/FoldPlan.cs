using System.Globalization;
using Microsoft.ML;

namespace MlNetDeep;

/// <summary>
/// The rows every trial is scored on, planned once: <c>repeats</c> stratified K-fold splits, and inside each fold's
/// training rows a stratified validation share for the network's curves. Every trial sees the same folds, so their
/// metrics differ by their options only. Each fold also knows the loss of the best constant prediction (class
/// priors, or the mean) on its held-out and its validation rows.
/// </summary>
internal sealed class FoldPlan
{
    private const double ProbabilityFloor = 1e-15; // ML.NET's evaluators clip probabilities there too

    private FoldPlan(IReadOnlyList<TuningFold> folds, int numberOfFolds, int rows, int outputs, IDataView data, FoldPlanRecipe recipe)
    {
        Outputs = outputs;
        Folds = folds;
        NumberOfFolds = numberOfFolds;
        Rows = rows;
        Data = data;
        Recipe = recipe;
    }

    /// <summary>The rows the folds select from.</summary>
    public IDataView Data { get; }

    /// <summary>The arguments the plan was made with: <see cref="Create(IDataView, TuningTask, FoldPlanRecipe)"/> of the same rows makes the same folds (a job-array worker does).</summary>
    public FoldPlanRecipe Recipe { get; }

    /// <summary>Every fold, repeat by repeat.</summary>
    public IReadOnlyList<TuningFold> Folds { get; }

    public int NumberOfFolds { get; }

    /// <summary>Rows in the data.</summary>
    public int Rows { get; }

    /// <summary>The network's outputs: the number of classes for multiclass, 1 for binary and regression.</summary>
    public int Outputs { get; }

    /// <summary>The folds of the given repeats (the first <paramref name="repeats"/>).</summary>
    public IEnumerable<TuningFold> FirstRepeats(int repeats) => Folds.Where(f => f.Repeat < repeats);

    /// <exception cref="ArgumentException">Too few rows (or rows of a class) for the folds and the validation share.</exception>
    public static FoldPlan Create(IDataView data, TuningTask task, string labelColumnName, int folds, int repeats,
        double validationFraction, RegressionLoss regressionLoss, int seed)
        => Create(data, task, new FoldPlanRecipe(labelColumnName, folds, repeats, validationFraction, regressionLoss, seed));

    /// <exception cref="ArgumentException">Too few rows (or rows of a class) for the folds and the validation share.</exception>
    public static FoldPlan Create(IDataView data, TuningTask task, FoldPlanRecipe recipe)
    {
        var (labelColumnName, folds, repeats, validationFraction, regressionLoss, seed) = recipe;
        var label = LabelValues.FindScalarColumn(data, labelColumnName, "label", "trainData");
        string?[]? classes = task.IsClassification ? LabelValues.ReadClasses(data, label, "trainData") : null;
        double[]? values = task.IsClassification ? null : LabelValues.ReadNumbers(data, label, "trainData");
        int rows = classes?.Length ?? values!.Length;
        var plans = SplitPlanner.PlanFolds(data, folds, repeats, labelColumnName,
            task.IsClassification ? Stratification.ByClass : Stratification.ByValueOrder, seed, "trainData");

        var rng = new Random(unchecked(seed * 31 + 17));
        var result = new List<TuningFold>(folds * repeats);
        for (int r = 0; r < repeats; r++)
        {
            for (int k = 0; k < folds; k++)
            {
                var trainRows = Enumerable.Range(0, rows).Where(i => plans[r][i] != k).ToArray();
                var inner = SplitPlanner.PlanHoldOut(trainRows.Length, classes is null ? null : trainRows.Select(i => classes[i]).ToArray(), validationFraction, 0, rng);
                var role = new int[rows]; // 0 training, 1 validation (the network's curves), 2 held out (the metric)
                for (int i = 0; i < rows; i++)
                    role[i] = plans[r][i] == k ? 2 : 0;
                for (int j = 0; j < trainRows.Length; j++)
                    role[trainRows[j]] = inner[j] == 1 ? 1 : 0;
                int training = role.Count(x => x == 0), validation = role.Count(x => x == 1);
                if (training == 0 || validation == 0)
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"{rows} rows are too few for {folds} folds with ValidationFraction {validationFraction}: fold {k} would train on {training} and validate on {validation} rows; both need at least one. Use fewer folds, a larger ValidationFraction or more rows."),
                        "trainData");

                var trainIndex = Select(role, 0);
                result.Add(new TuningFold(r, k,
                    RowSubsetDataView.Select(data, role, 0, equal: true),
                    RowSubsetDataView.Select(data, role, 1, equal: true),
                    RowSubsetDataView.Select(data, role, 2, equal: true),
                    training,
                    Constant(classes, values, trainIndex, Select(role, 2), RegressionLoss.MeanSquaredError),
                    Constant(classes, values, trainIndex, Select(role, 1), regressionLoss)));
            }
        }
        int outputs = task.IsClassification && task.Name.StartsWith("multiclass", StringComparison.Ordinal)
            ? classes!.Where(c => c is not null).Distinct(StringComparer.Ordinal).Count()
            : 1;
        return new FoldPlan(result, folds, rows, outputs, data, recipe);
    }

    private static int[] Select(int[] role, int value) => Enumerable.Range(0, role.Length).Where(i => role[i] == value).ToArray();

    /// <summary>
    /// The mean loss on <paramref name="target"/> rows of the best constant prediction fitted on <paramref name="source"/>
    /// rows: the class priors' cross-entropy in nats, or the mean's squared error (Huber loss with delta 1 when the
    /// network trains with it). Rows with a missing label are left out.
    /// </summary>
    private static double Constant(string?[]? classes, double[]? values, int[] source, int[] target, RegressionLoss loss)
    {
        if (classes is not null)
        {
            var counts = source.Where(i => classes[i] is not null).GroupBy(i => classes[i]!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            double total = counts.Values.Sum();
            var scored = target.Where(i => classes[i] is not null).ToArray();
            if (total == 0 || scored.Length == 0)
                return double.NaN;
            return scored.Average(i => -Math.Log(Math.Max(counts.GetValueOrDefault(classes[i]!) / total, ProbabilityFloor)));
        }

        var known = source.Where(i => !double.IsNaN(values![i])).ToArray();
        var targets = target.Where(i => !double.IsNaN(values![i])).ToArray();
        if (known.Length == 0 || targets.Length == 0)
            return double.NaN;
        double mean = known.Average(i => values![i]);
        return targets.Average(i =>
        {
            double e = values![i] - mean;
            if (loss != RegressionLoss.Huber)
                return e * e;
            double a = Math.Abs(e);
            return a <= 1 ? 0.5 * e * e : a - 0.5;
        });
    }
}
