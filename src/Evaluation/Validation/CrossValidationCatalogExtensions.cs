using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep;

/// <summary>
/// Repeated ("iterated") K-fold cross-validation with shuffling, stratified by the label, on ML.NET's task catalogs.
/// Plain K-fold is <c>numberOfRepeats: 1</c>.
/// </summary>
/// <remarks>
/// <para>Each repeat shuffles the rows with a generator seeded from <c>seed</c> and splits them into K folds that
/// partition the rows exactly (every row is validated once per repeat); fold sizes differ by at most one row.
/// Stratified folds hold each class's rows in proportion: its count in every fold is the floor or the ceiling
/// of (class rows / K). ML.NET's own <c>CrossValidate</c> cannot do this: its <c>samplingKeyColumnName</c> keeps
/// rows with equal keys together, it does not balance classes.</para>
/// <para>The label column may be Boolean, a key, text or numeric; it is read as it is in <c>data</c>, so a text
/// label that the estimator maps to a key with <c>MapValueToKey</c> stratifies by its text values. Missing labels
/// (NaN, missing key) form a stratum of their own that needs no minimum size.</para>
/// <para>A fold whose estimator or evaluation throws is kept in the result with its exception
/// (<see cref="RepeatedCrossValidationResult{TMetrics}.FailedFolds"/>) and is left out of the summaries; the other
/// folds still run. When every fold fails, an <see cref="AggregateException"/> holds all the exceptions.</para>
/// <para>Every fold's model is kept in the result (<see cref="CrossValidationFoldResult{TMetrics}.Model"/>), so
/// K · P models stay in memory until the result is released.</para>
/// <para><c>maxParallelFolds</c> above 1 fits that many folds at once on threads of their own and returns the same
/// result as a sequential run: folds are planned before any training, each fold's result keeps its place, and a
/// seeded DenseNetwork draws from its own generator. Each DenseNetwork fit sets libtorch's thread count
/// (<c>DenseNetworkOptions.NumberOfThreads</c>, 1 by default) for its own thread only, so W parallel folds use
/// W × NumberOfThreads cores. The estimator is shared by the parallel fits: its <c>Progress</c> receives epochs of
/// several folds interleaved, and a stateful callback (a <c>ModelCheckpoint</c> path) is shared too, so keep 1 with
/// those. The whole pipeline must allow concurrent <c>Fit</c> calls (MlNetDeep's DenseNetwork
/// trainers do, and the tests run them behind ML.NET's normalizing and key-mapping transforms; each fit reads the data
/// with its own cursor). Progress reports are made one at a time, in the order folds end.</para>
/// </remarks>
/// <example>
/// <code>
/// var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label")
///     .Append(mlContext.MulticlassClassification.Trainers.SdcaMaximumEntropy());
/// var cv = mlContext.MulticlassClassification.RepeatedCrossValidate(data, pipeline, numberOfFolds: 4, numberOfRepeats: 3, seed: 1);
/// Console.WriteLine(cv);                       // mean, SD and 95% CI per metric
/// var accuracy = cv.GetMetric("MicroAccuracy");
/// </code>
/// </example>
public static class CrossValidationCatalogExtensions
{
    /// <summary>Cross-validates a binary classification estimator over <paramref name="numberOfRepeats"/> reshuffled K-fold splits.</summary>
    /// <param name="catalog">The binary classification catalog.</param>
    /// <param name="data">The rows to split; their unshuffled order must be stable between passes (true for ML.NET's loaders).</param>
    /// <param name="estimator">The whole pipeline to fit on each fold's training rows; it must produce the columns the evaluator reads (Score, PredictedLabel, and Probability for calibrated metrics).</param>
    /// <param name="numberOfFolds">K, at least 2; 5 by default.</param>
    /// <param name="numberOfRepeats">P, at least 1; 3 by default. 1 gives plain K-fold.</param>
    /// <param name="labelColumnName">The label column; "Label" by default.</param>
    /// <param name="stratify">Balance the classes across folds; true by default.</param>
    /// <param name="seed">The shuffling seed; null draws one (recorded in <see cref="RepeatedCrossValidationResult{TMetrics}.Seed"/>).</param>
    /// <param name="progress">Receives one <see cref="OperationProgress"/> after every fold (its first metric, or its error); null for none.</param>
    /// <param name="maxParallelFolds">How many folds train at once, each on a thread of its own; 1 (the default) runs them one after another. The result is the same whatever the value (see the remarks of <see cref="CrossValidationCatalogExtensions"/>).</param>
    /// <returns>Every fold's metrics, model and history, and per-metric mean, SD and Student-t 95% confidence interval.</returns>
    /// <remarks>Folds whose output has a Probability column are scored with <c>Evaluate</c> (calibrated metrics, log-loss included), the others with <c>EvaluateNonCalibrated</c>.</remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numberOfFolds"/> is below 2 or above the row count; <paramref name="numberOfRepeats"/> is below 1.</exception>
    /// <exception cref="ArgumentException">The label column is missing or a vector; stratified, a class has fewer rows than folds.</exception>
    /// <exception cref="AggregateException">Every fold failed.</exception>
    public static RepeatedCrossValidationResult<BinaryClassificationMetrics> RepeatedCrossValidate(
        this BinaryClassificationCatalog catalog, IDataView data, IEstimator<ITransformer> estimator,
        int numberOfFolds = 5, int numberOfRepeats = 3, string labelColumnName = "Label", bool stratify = true, int? seed = null, IProgress<OperationProgress>? progress = null, int maxParallelFolds = 1)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return CrossValidationRunner.Run(data, estimator, numberOfFolds, numberOfRepeats, labelColumnName,
            stratify ? Stratification.ByClass : Stratification.None, seed,
            scored => scored.Schema.GetColumnOrNull("Probability") is null
                ? catalog.EvaluateNonCalibrated(scored, labelColumnName)
                : catalog.Evaluate(scored, labelColumnName),
            MetricValues.Of, progress, maxParallelFolds: maxParallelFolds);
    }

    /// <summary>Cross-validates a multiclass classification estimator over <paramref name="numberOfRepeats"/> reshuffled K-fold splits.</summary>
    /// <param name="catalog">The multiclass classification catalog.</param>
    /// <param name="data">The rows to split; their unshuffled order must be stable between passes.</param>
    /// <param name="estimator">The whole pipeline to fit on each fold; its output needs a key-typed label, Score and PredictedLabel.</param>
    /// <param name="numberOfFolds">K, at least 2; 5 by default.</param>
    /// <param name="numberOfRepeats">P, at least 1; 3 by default. 1 gives plain K-fold.</param>
    /// <param name="labelColumnName">The label column (in <paramref name="data"/> and in the estimator's output); "Label" by default.</param>
    /// <param name="stratify">Balance the classes across folds; true by default.</param>
    /// <param name="seed">The shuffling seed; null draws one (recorded in the result).</param>
    /// <param name="progress">Receives one <see cref="OperationProgress"/> after every fold (its first metric, or its error); null for none.</param>
    /// <param name="maxParallelFolds">How many folds train at once, each on a thread of its own; 1 (the default) runs them one after another. The result is the same whatever the value (see the remarks of <see cref="CrossValidationCatalogExtensions"/>).</param>
    /// <returns>Every fold's metrics, model and history, and per-metric mean, SD and Student-t 95% confidence interval.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numberOfFolds"/> is below 2 or above the row count; <paramref name="numberOfRepeats"/> is below 1.</exception>
    /// <exception cref="ArgumentException">The label column is missing or a vector; stratified, a class has fewer rows than folds.</exception>
    /// <exception cref="AggregateException">Every fold failed.</exception>
    public static RepeatedCrossValidationResult<MulticlassClassificationMetrics> RepeatedCrossValidate(
        this MulticlassClassificationCatalog catalog, IDataView data, IEstimator<ITransformer> estimator,
        int numberOfFolds = 5, int numberOfRepeats = 3, string labelColumnName = "Label", bool stratify = true, int? seed = null, IProgress<OperationProgress>? progress = null, int maxParallelFolds = 1)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return CrossValidationRunner.Run(data, estimator, numberOfFolds, numberOfRepeats, labelColumnName,
            stratify ? Stratification.ByClass : Stratification.None, seed,
            scored => catalog.Evaluate(scored, labelColumnName), MetricValues.Of, progress, maxParallelFolds: maxParallelFolds);
    }

    /// <summary>Cross-validates a regression estimator over <paramref name="numberOfRepeats"/> reshuffled K-fold splits.</summary>
    /// <param name="catalog">The regression catalog.</param>
    /// <param name="data">The rows to split; their unshuffled order must be stable between passes.</param>
    /// <param name="estimator">The whole pipeline to fit on each fold; its output needs a Single Score.</param>
    /// <param name="numberOfFolds">K, at least 2; 5 by default.</param>
    /// <param name="numberOfRepeats">P, at least 1; 3 by default. 1 gives plain K-fold.</param>
    /// <param name="labelColumnName">The numeric label column; "Label" by default.</param>
    /// <param name="stratify">
    /// Stratify by the sorted label; false by default. When true, the rows are sorted by label (ties in random
    /// order, NaN last) and each consecutive block of K rows — a bin of K neighboring label values — is spread over
    /// the K folds in random order, so every fold sees the whole label range.
    /// </param>
    /// <param name="seed">The shuffling seed; null draws one (recorded in the result).</param>
    /// <param name="progress">Receives one <see cref="OperationProgress"/> after every fold (its first metric, or its error); null for none.</param>
    /// <param name="maxParallelFolds">How many folds train at once, each on a thread of its own; 1 (the default) runs them one after another. The result is the same whatever the value (see the remarks of <see cref="CrossValidationCatalogExtensions"/>).</param>
    /// <returns>Every fold's metrics, model and history, and per-metric mean, SD and Student-t 95% confidence interval.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numberOfFolds"/> is below 2 or above the row count; <paramref name="numberOfRepeats"/> is below 1.</exception>
    /// <exception cref="ArgumentException">The label column is missing or a vector; stratified, it is not numeric.</exception>
    /// <exception cref="AggregateException">Every fold failed.</exception>
    public static RepeatedCrossValidationResult<RegressionMetrics> RepeatedCrossValidate(
        this RegressionCatalog catalog, IDataView data, IEstimator<ITransformer> estimator,
        int numberOfFolds = 5, int numberOfRepeats = 3, string labelColumnName = "Label", bool stratify = false, int? seed = null, IProgress<OperationProgress>? progress = null, int maxParallelFolds = 1)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return CrossValidationRunner.Run(data, estimator, numberOfFolds, numberOfRepeats, labelColumnName,
            stratify ? Stratification.ByValueOrder : Stratification.None, seed,
            scored => catalog.Evaluate(scored, labelColumnName), MetricValues.Of, progress, maxParallelFolds: maxParallelFolds);
    }
}
