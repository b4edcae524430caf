using Microsoft.ML;

namespace MlNetDeep;

/// <summary>
/// <c>TuneDenseNetwork</c> on ML.NET's task catalogs: the lecture's workflow (Chollet, ch. 5, §1.3–1.4) as a search
/// over MlNetDeep's dense networks, scored by stratified K-fold cross-validation.
/// </summary>
/// <remarks>
/// <para>The stages, in order (<see cref="TuningStage"/>): (1) <b>Baseline</b> — a small first model
/// (<c>Architectures[0]</c>) with the base options, compared with the constant prediction; (2) <b>LearningRate</b> —
/// the range test's suggestion (<c>FindLearningRate</c>) on that model, kept when its cross-validated loss beats the
/// default rate's; (3) <b>ScaleUp</b> — the next architectures of the ladder, one at a time, until the verdict read
/// from the folds' mean learning curve is <see cref="FitVerdict.Overfitting"/> (a larger model that stops learning gets
/// one retry at a 10× lower rate); (4) <b>Regularize</b> — that model with early stopping
/// (<c>RestoreBestWeights</c>), stopped at the onset epoch, with dropout 0.2 and 0.5, with L2 1e-4 and 1e-3 (both with
/// early stopping), pruned by successive halving (a quarter, half, then all of the epochs; the better half goes on);
/// (5) <b>Choose</b> — the three best trials cross-validated again on <c>NumberOfRepeats</c> shuffles of the folds;
/// the lowest mean wins, and <see cref="DenseNetworkTuningResult.BestModel"/> is refitted with its options on all rows.</para>
/// <para>The metric is the lecture's: the validation loss — each fold network's loss on the fold's held-out rows
/// (cross-entropy in nats, or mean squared error). The network's own per-epoch validation curve, which the diagnosis
/// and early stopping read, comes from a separate stratified share of the fold's training rows
/// (<c>ValidationFraction</c>), so early stopping never sees the rows it is scored on.</para>
/// </remarks>
/// <example>
/// <code>
/// var result = mlContext.BinaryClassification.TuneDenseNetwork(data, new DenseNetworkTuningOptions
/// {
///     MaxTime = TimeSpan.FromMinutes(5),
///     Seed = 1,
/// });
/// Console.WriteLine(result.ToMarkdown());          // every trial: stage, change, loss mean ± SD, verdict, onset
/// var model = result.BestModel;                      // refitted on all rows with result.BestOptions
/// </code>
/// </example>
public static class DenseNetworkTuningCatalog
{
    /// <summary>Tunes a binary-classification dense network (Boolean label) by the lecture's workflow; see <see cref="DenseNetworkTuningCatalog"/>.</summary>
    /// <param name="catalog">The binary-classification catalog.</param>
    /// <param name="trainData">The rows to cross-validate on and to refit the best model on; their order must be stable between passes (true for ML.NET's loaders).</param>
    /// <param name="options">The search's options; null for the defaults.</param>
    /// <returns>Every trial, the best options and the best model refitted on all rows.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> or <paramref name="trainData"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid (the message lists every one), a column is missing or of the wrong type, or a class has fewer rows than folds.</exception>
    /// <exception cref="TimeoutException">MaxTime ran out before the first trial finished.</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token was cancelled.</exception>
    public static DenseNetworkTuningResult TuneDenseNetwork(this BinaryClassificationCatalog catalog, IDataView trainData, DenseNetworkTuningOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return TuningSearch.Run(TuningTask.Binary, trainData, options);
    }

    /// <summary>Tunes a multiclass dense network (key label, e.g. from <c>MapValueToKey</c>) by the lecture's workflow; see <see cref="DenseNetworkTuningCatalog"/>.</summary>
    /// <param name="catalog">The multiclass-classification catalog.</param>
    /// <param name="trainData">The rows to cross-validate on and to refit the best model on; their order must be stable between passes.</param>
    /// <param name="options">The search's options; null for the defaults.</param>
    /// <returns>Every trial, the best options and the best model refitted on all rows.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> or <paramref name="trainData"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid (the message lists every one), a column is missing or of the wrong type, or a class has fewer rows than folds.</exception>
    /// <exception cref="TimeoutException">MaxTime ran out before the first trial finished.</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token was cancelled.</exception>
    public static DenseNetworkTuningResult TuneDenseNetwork(this MulticlassClassificationCatalog catalog, IDataView trainData, DenseNetworkTuningOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return TuningSearch.Run(TuningTask.Multiclass, trainData, options);
    }

    /// <summary>Tunes a regression dense network (Single label) by the lecture's workflow; folds are stratified by label order; see <see cref="DenseNetworkTuningCatalog"/>.</summary>
    /// <param name="catalog">The regression catalog.</param>
    /// <param name="trainData">The rows to cross-validate on and to refit the best model on; their order must be stable between passes.</param>
    /// <param name="options">The search's options; null for the defaults.</param>
    /// <returns>Every trial, the best options and the best model refitted on all rows.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> or <paramref name="trainData"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid (the message lists every one), a column is missing or of the wrong type, or there are too few rows for the folds.</exception>
    /// <exception cref="TimeoutException">MaxTime ran out before the first trial finished.</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token was cancelled.</exception>
    public static DenseNetworkTuningResult TuneDenseNetwork(this RegressionCatalog catalog, IDataView trainData, DenseNetworkTuningOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return TuningSearch.Run(TuningTask.Regression, trainData, options);
    }
}
