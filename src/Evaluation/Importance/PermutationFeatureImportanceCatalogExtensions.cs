using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep;

/// <summary>
/// Permutation feature importance (PFI) of a whole fitted pipeline, by feature name, on ML.NET's task catalogs:
/// for a fitted <c>EstimatorChain</c> with an MlNetDeep network or any ML.NET trainer, and for the chain
/// <c>mlContext.Model.Load</c> returns.
/// </summary>
/// <remarks>
/// <para><b>Why not ML.NET's own method.</b> ML.NET 5's whole-model overloads, <c>PermutationFeatureImportance(ITransformer model, IDataView data, …)</c>
/// on the multiclass and regression catalogs and <c>PermutationFeatureImportanceNonCalibrated(ITransformer model, …)</c>
/// on the binary one (the calls the docs and Model Builder use), look for an internal ML.NET interface on the
/// pipeline's last predictor, which no third-party transformer can implement, and which a chain loaded from a zip
/// does not expose for an MlNetDeep network; they throw "The model provided does not have a compatible
/// predictor". They also run only that predictor on <c>data</c>, so the data must already hold the feature column.
/// ML.NET's overloads that take a single <c>ISingleFeaturePredictionTransformer&lt;TModel&gt;</c> work on a fitted
/// <c>DenseNetworkTransformer</c> given transformed data, but not on a loaded model. The methods here need only
/// the public <see cref="ITransformer"/> chain and take the data as the pipeline does.</para>
/// <para><b>How.</b> The predictor is the last step that produces the <c>Score</c> column; the feature column is
/// <c>featureColumnName</c> as it reaches that step. The steps that produce it run once on the rows
/// (the output is cached); then, for each slot and each permutation, that slot's values are shuffled across the
/// rows (seeded Fisher–Yates; every other slot and column untouched), the remaining steps run, ML.NET's evaluator
/// scores the result, and the change "permuted − baseline" of every metric is recorded. A slot with the same value
/// in every row is not evaluated: shuffling it changes nothing, so its changes are exactly 0.</para>
/// <para><b>Cost.</b> One pass of the rest of the pipeline per non-constant slot and permutation: with d slots,
/// <c>d × permutationCount</c> scoring passes over the rows. Limit the rows with <c>numberOfExamplesToUse</c> for
/// wide inputs (784 pixels, a 10,000-word bag of words). The rows up to the feature column are cached in memory.</para>
/// <para><b>Reading it.</b> Importance is the drop of a higher-is-better metric (AreaUnderRocCurve, MicroAccuracy,
/// RSquared: negative Δ) or the rise of an error (RootMeanSquaredError, LogLoss: positive Δ);
/// <see cref="PermutationFeatureImportanceResult{TMetrics}.Ranked()"/> sorts by it. Correlated features share
/// their importance (shuffling one leaves the other), so a low value does not prove a feature useless.</para>
/// </remarks>
public static class PermutationFeatureImportanceCatalogExtensions
{
    /// <summary>Permutation feature importance of a whole binary-classification pipeline, keyed by feature name; the primary metric is AreaUnderRocCurve.</summary>
    /// <param name="catalog">The binary classification catalog.</param>
    /// <param name="model">A fitted pipeline (or a chain from <c>mlContext.Model.Load</c>) whose last predictor writes <c>Score</c> (and <c>PredictedLabel</c>; <c>Probability</c> adds LogLoss, LogLossReduction and Entropy).</param>
    /// <param name="data">The evaluation rows, as the pipeline takes them (not transformed).</param>
    /// <param name="labelColumnName">The Boolean label column in the model's output; "Label" by default.</param>
    /// <param name="featureColumnName">The known-size Single vector column the predictor reads; "Features" by default.</param>
    /// <param name="numberOfExamplesToUse">Evaluate the first this many rows (at least 2); null (the default) for every row.</param>
    /// <param name="permutationCount">How many times each slot is shuffled, at least 1; 1 by default (the SD needs 2 or more).</param>
    /// <param name="seed">The permutations' seed; null (the default) draws one, reported in <see cref="PermutationFeatureImportanceResult{TMetrics}.Seed"/>.</param>
    /// <returns>Per feature, every metric's change over the permutations, and the baseline metrics.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The model produces no <c>Score</c>; the feature column is missing before the predictor or not a known-size vector of Single; the label column is not in the model's output; fewer than 2 rows.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="permutationCount"/> is below 1 or <paramref name="numberOfExamplesToUse"/> below 2.</exception>
    public static PermutationFeatureImportanceResult<BinaryClassificationMetrics> PermutationFeatureImportanceByName(this BinaryClassificationCatalog catalog,
        ITransformer model, IDataView data, string labelColumnName = "Label", string featureColumnName = "Features",
        int? numberOfExamplesToUse = null, int permutationCount = 1, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return PermutationImportanceRunner.Run(model, data, labelColumnName, featureColumnName, numberOfExamplesToUse, permutationCount, seed,
            "AreaUnderRocCurve",
            scored => scored.Schema.GetColumnOrNull("Probability") is null
                ? catalog.EvaluateNonCalibrated(scored, labelColumnName)
                : catalog.Evaluate(scored, labelColumnName),
            MetricValues.Of);
    }

    /// <summary>Permutation feature importance of a whole multiclass-classification pipeline, keyed by feature name; the primary metric is MicroAccuracy.</summary>
    /// <param name="catalog">The multiclass classification catalog.</param>
    /// <param name="model">A fitted pipeline (or a chain from <c>mlContext.Model.Load</c>) whose last predictor writes a <c>Score</c> vector and <c>PredictedLabel</c>.</param>
    /// <param name="data">The evaluation rows, as the pipeline takes them (not transformed).</param>
    /// <param name="labelColumnName">The key-typed label column in the model's output (e.g. from <c>MapValueToKey</c> in the pipeline); "Label" by default.</param>
    /// <param name="featureColumnName">The known-size Single vector column the predictor reads; "Features" by default.</param>
    /// <param name="numberOfExamplesToUse">Evaluate the first this many rows (at least 2); null (the default) for every row.</param>
    /// <param name="permutationCount">How many times each slot is shuffled, at least 1; 1 by default (the SD needs 2 or more).</param>
    /// <param name="seed">The permutations' seed; null (the default) draws one, reported in <see cref="PermutationFeatureImportanceResult{TMetrics}.Seed"/>.</param>
    /// <returns>Per feature, every metric's change over the permutations, and the baseline metrics.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The model produces no <c>Score</c>; the feature column is missing before the predictor or not a known-size vector of Single; the label column is not in the model's output; fewer than 2 rows.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="permutationCount"/> is below 1 or <paramref name="numberOfExamplesToUse"/> below 2.</exception>
    public static PermutationFeatureImportanceResult<MulticlassClassificationMetrics> PermutationFeatureImportanceByName(this MulticlassClassificationCatalog catalog,
        ITransformer model, IDataView data, string labelColumnName = "Label", string featureColumnName = "Features",
        int? numberOfExamplesToUse = null, int permutationCount = 1, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return PermutationImportanceRunner.Run(model, data, labelColumnName, featureColumnName, numberOfExamplesToUse, permutationCount, seed,
            "MicroAccuracy", scored => catalog.Evaluate(scored, labelColumnName), MetricValues.Of);
    }

    /// <summary>Permutation feature importance of a whole regression pipeline, keyed by feature name; the primary metric is RSquared.</summary>
    /// <param name="catalog">The regression catalog.</param>
    /// <param name="model">A fitted pipeline (or a chain from <c>mlContext.Model.Load</c>) whose last predictor writes a Single <c>Score</c>.</param>
    /// <param name="data">The evaluation rows, as the pipeline takes them (not transformed).</param>
    /// <param name="labelColumnName">The Single label column in the model's output; "Label" by default.</param>
    /// <param name="featureColumnName">The known-size Single vector column the predictor reads; "Features" by default.</param>
    /// <param name="numberOfExamplesToUse">Evaluate the first this many rows (at least 2); null (the default) for every row.</param>
    /// <param name="permutationCount">How many times each slot is shuffled, at least 1; 1 by default (the SD needs 2 or more).</param>
    /// <param name="seed">The permutations' seed; null (the default) draws one, reported in <see cref="PermutationFeatureImportanceResult{TMetrics}.Seed"/>.</param>
    /// <returns>Per feature, every metric's change over the permutations, and the baseline metrics.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The model produces no <c>Score</c>; the feature column is missing before the predictor or not a known-size vector of Single; the label column is not in the model's output; fewer than 2 rows.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="permutationCount"/> is below 1 or <paramref name="numberOfExamplesToUse"/> below 2.</exception>
    public static PermutationFeatureImportanceResult<RegressionMetrics> PermutationFeatureImportanceByName(this RegressionCatalog catalog,
        ITransformer model, IDataView data, string labelColumnName = "Label", string featureColumnName = "Features",
        int? numberOfExamplesToUse = null, int permutationCount = 1, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return PermutationImportanceRunner.Run(model, data, labelColumnName, featureColumnName, numberOfExamplesToUse, permutationCount, seed,
            "RSquared", scored => catalog.Evaluate(scored, labelColumnName), MetricValues.Of);
    }
}
