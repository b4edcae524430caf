using System.Globalization;
using Microsoft.ML;

namespace MlNetDeep;

/// <summary>The lecture's validation splits on <c>mlContext.Data</c>: hold-out (train/validation/test) and (repeated, stratified) K-fold.</summary>
public static class DataSplitCatalogExtensions
{
    /// <summary>
    /// Splits rows into training, validation and test sets (simple hold-out validation), optionally keeping each
    /// class's share in every set.
    /// </summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="data">The rows to split; their unshuffled order must be stable between passes.</param>
    /// <param name="validationFraction">Share of rows for validation, in [0, 1); 0.2 by default. The count is rounded to the nearest row.</param>
    /// <param name="testFraction">Share of rows for the test set, in [0, 1); 0.2 by default. The count is rounded to the nearest row.</param>
    /// <param name="stratificationColumnName">
    /// A class column (Boolean, key, text or numeric) whose classes keep their share in every set (within about one
    /// row); null (the default) for a plain shuffled split.
    /// </param>
    /// <param name="seed">The shuffling seed; null for a nondeterministic split.</param>
    /// <returns>The three sets, with the source row positions of each.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> or <paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A fraction is outside [0, 1), or the fractions leave no training rows.</exception>
    /// <exception cref="ArgumentException">The stratification column is missing, a vector, or of an unsupported type.</exception>
    public static TrainValidationTestData TrainValidationTestSplit(this DataOperationsCatalog catalog, IDataView data,
        double validationFraction = 0.2, double testFraction = 0.2, string? stratificationColumnName = null, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        CheckFraction(validationFraction, nameof(validationFraction));
        CheckFraction(testFraction, nameof(testFraction));
        if (validationFraction + testFraction >= 1)
            throw new ArgumentOutOfRangeException(nameof(testFraction), string.Create(CultureInfo.InvariantCulture,
                $"Invalid values for validationFraction and testFraction: expected a sum below 1 so training rows remain. Received: validationFraction={validationFraction}, testFraction={testFraction}."));

        string?[]? classes = null;
        if (stratificationColumnName is not null)
        {
            var column = LabelValues.FindScalarColumn(data, stratificationColumnName, "stratification", nameof(stratificationColumnName));
            classes = LabelValues.ReadClasses(data, column, nameof(stratificationColumnName));
        }
        int rows = classes?.Length ?? LabelValues.CountRows(data);
        var rng = seed is int s ? new Random(s) : new Random();
        return new TrainValidationTestData(data, SplitPlanner.PlanHoldOut(rows, classes, validationFraction, testFraction, rng));
    }

    /// <summary>
    /// Splits rows into K folds, <paramref name="numberOfRepeats"/> times with a fresh shuffle each time (iterated
    /// K-fold), for a cross-validation loop of your own. Each repeat's validation sets partition the rows exactly.
    /// </summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="data">The rows to split; their unshuffled order must be stable between passes.</param>
    /// <param name="numberOfFolds">K, at least 2 and at most the row count; 5 by default.</param>
    /// <param name="numberOfRepeats">P, at least 1; 1 by default (plain K-fold).</param>
    /// <param name="stratificationColumnName">
    /// A class column whose classes are balanced across folds (each class's count per fold is the floor or ceiling
    /// of its share); null (the default) for plain shuffled folds.
    /// </param>
    /// <param name="seed">The shuffling seed; null for nondeterministic folds.</param>
    /// <returns>K · P folds, repeat by repeat.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> or <paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numberOfFolds"/> is below 2 or above the row count; <paramref name="numberOfRepeats"/> is below 1.</exception>
    /// <exception cref="ArgumentException">The stratification column is missing or unusable, or a class has fewer rows than folds.</exception>
    public static IReadOnlyList<FoldSplit> KFoldSplit(this DataOperationsCatalog catalog, IDataView data,
        int numberOfFolds = 5, int numberOfRepeats = 1, string? stratificationColumnName = null, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        SplitPlanner.CheckFoldCounts(numberOfFolds, numberOfRepeats);
        var plans = stratificationColumnName is null
            ? SplitPlanner.PlanFolds(data, numberOfFolds, numberOfRepeats, null, Stratification.None, seed ?? Random.Shared.Next())
            : SplitPlanner.PlanFolds(data, numberOfFolds, numberOfRepeats, stratificationColumnName, Stratification.ByClass, seed ?? Random.Shared.Next(), nameof(stratificationColumnName));
        return plans.SelectMany((plan, r) => Enumerable.Range(0, numberOfFolds).Select(k => new FoldSplit(data, plan, r, k))).ToArray();
    }

    private static void CheckFraction(double value, string name)
    {
        if (!(value >= 0 && value < 1))
            throw new ArgumentOutOfRangeException(name, string.Create(CultureInfo.InvariantCulture,
                $"Invalid value for {name}: expected a value in [0, 1). Received: {name}={value}."));
    }
}
