using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep;

/// <summary>
/// Ablation studies on ML.NET's task catalogs: retrain and evaluate with named feature groups removed from a
/// known-size vector feature column, and report each group's metric change over the folds.
/// </summary>
/// <remarks>
/// <para>The baseline and every group are cross-validated on the same folds (same seed, same rows), so each
/// group's change is a paired, per-fold difference; its spread is over folds and repeats. The group's slots are
/// dropped from the column (by ML.NET's slot-dropping transformer) before the estimator sees the data, so the
/// estimator must work with whatever vector size remains — every ML.NET trainer and MlNetDeep network does.</para>
/// <para>Fold failures follow <see cref="CrossValidationCatalogExtensions"/>: a failed fold is left out of that
/// group's changes.</para>
/// </remarks>
public static class AblationCatalogExtensions
{
    /// <summary>Runs an ablation study of a binary classifier; the primary metric is AreaUnderRocCurve.</summary>
    /// <param name="catalog">The binary classification catalog.</param>
    /// <param name="data">The rows, with the feature column.</param>
    /// <param name="estimator">The pipeline to fit; it reads <paramref name="featureColumnName"/>.</param>
    /// <param name="featureGroups">The groups to remove one at a time; at least one, with unique names.</param>
    /// <param name="featureColumnName">A known-size vector of Single; "Features" by default.</param>
    /// <param name="labelColumnName">The label column; "Label" by default.</param>
    /// <param name="numberOfFolds">K, at least 2; 5 by default.</param>
    /// <param name="numberOfRepeats">P, at least 1; 1 by default.</param>
    /// <param name="stratify">Stratify the folds by class; true by default.</param>
    /// <param name="seed">The fold seed, shared by all runs; null draws one.</param>
    /// <param name="progress">Receives one <see cref="OperationProgress"/> after every fold of the baseline and of each group\'s run; null for none.</param>
    /// <returns>The baseline, and per group its cross-validation and paired metric changes.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">No groups, duplicate names, a group outside the column or removing every slot, a feature column that is missing or not a known-size Single vector, or a cross-validation argument problem.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Bad fold or repeat counts.</exception>
    public static AblationResult<BinaryClassificationMetrics> AblationStudy(this BinaryClassificationCatalog catalog,
        IDataView data, IEstimator<ITransformer> estimator, IEnumerable<FeatureGroup> featureGroups,
        string featureColumnName = "Features", string labelColumnName = "Label", int numberOfFolds = 5, int numberOfRepeats = 1,
        bool stratify = true, int? seed = null, IProgress<OperationProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        SplitPlanner.CheckFoldCounts(numberOfFolds, numberOfRepeats);
        return AblationRunner.Run(data, estimator, featureGroups, featureColumnName, seed, "AreaUnderRocCurve",
            (d, s, run) => catalog.RepeatedCrossValidate(d, estimator, numberOfFolds, numberOfRepeats, labelColumnName, stratify, s, AblationRunner.Relabel(progress, run)));
    }

    /// <summary>Runs an ablation study of a multiclass classifier; the primary metric is MicroAccuracy.</summary>
    /// <param name="catalog">The multiclass classification catalog.</param>
    /// <param name="data">The rows, with the feature column.</param>
    /// <param name="estimator">The pipeline to fit; it reads <paramref name="featureColumnName"/>.</param>
    /// <param name="featureGroups">The groups to remove one at a time; at least one, with unique names.</param>
    /// <param name="featureColumnName">A known-size vector of Single; "Features" by default.</param>
    /// <param name="labelColumnName">The label column; "Label" by default.</param>
    /// <param name="numberOfFolds">K, at least 2; 5 by default.</param>
    /// <param name="numberOfRepeats">P, at least 1; 1 by default.</param>
    /// <param name="stratify">Stratify the folds by class; true by default.</param>
    /// <param name="seed">The fold seed, shared by all runs; null draws one.</param>
    /// <param name="progress">Receives one <see cref="OperationProgress"/> after every fold of the baseline and of each group\'s run; null for none.</param>
    /// <returns>The baseline, and per group its cross-validation and paired metric changes.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">No groups, duplicate names, a group outside the column or removing every slot, a feature column that is missing or not a known-size Single vector, or a cross-validation argument problem.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Bad fold or repeat counts.</exception>
    public static AblationResult<MulticlassClassificationMetrics> AblationStudy(this MulticlassClassificationCatalog catalog,
        IDataView data, IEstimator<ITransformer> estimator, IEnumerable<FeatureGroup> featureGroups,
        string featureColumnName = "Features", string labelColumnName = "Label", int numberOfFolds = 5, int numberOfRepeats = 1,
        bool stratify = true, int? seed = null, IProgress<OperationProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        SplitPlanner.CheckFoldCounts(numberOfFolds, numberOfRepeats);
        return AblationRunner.Run(data, estimator, featureGroups, featureColumnName, seed, "MicroAccuracy",
            (d, s, run) => catalog.RepeatedCrossValidate(d, estimator, numberOfFolds, numberOfRepeats, labelColumnName, stratify, s, AblationRunner.Relabel(progress, run)));
    }

    /// <summary>Runs an ablation study of a regressor; the primary metric is RSquared.</summary>
    /// <param name="catalog">The regression catalog.</param>
    /// <param name="data">The rows, with the feature column.</param>
    /// <param name="estimator">The pipeline to fit; it reads <paramref name="featureColumnName"/>.</param>
    /// <param name="featureGroups">The groups to remove one at a time; at least one, with unique names.</param>
    /// <param name="featureColumnName">A known-size vector of Single; "Features" by default.</param>
    /// <param name="labelColumnName">The numeric label column; "Label" by default.</param>
    /// <param name="numberOfFolds">K, at least 2; 5 by default.</param>
    /// <param name="numberOfRepeats">P, at least 1; 1 by default.</param>
    /// <param name="stratify">Stratify by sorted label blocks (see <see cref="CrossValidationCatalogExtensions"/>); false by default.</param>
    /// <param name="seed">The fold seed, shared by all runs; null draws one.</param>
    /// <param name="progress">Receives one <see cref="OperationProgress"/> after every fold of the baseline and of each group\'s run; null for none.</param>
    /// <returns>The baseline, and per group its cross-validation and paired metric changes.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">No groups, duplicate names, a group outside the column or removing every slot, a feature column that is missing or not a known-size Single vector, or a cross-validation argument problem.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Bad fold or repeat counts.</exception>
    public static AblationResult<RegressionMetrics> AblationStudy(this RegressionCatalog catalog,
        IDataView data, IEstimator<ITransformer> estimator, IEnumerable<FeatureGroup> featureGroups,
        string featureColumnName = "Features", string labelColumnName = "Label", int numberOfFolds = 5, int numberOfRepeats = 1,
        bool stratify = false, int? seed = null, IProgress<OperationProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        SplitPlanner.CheckFoldCounts(numberOfFolds, numberOfRepeats);
        return AblationRunner.Run(data, estimator, featureGroups, featureColumnName, seed, "RSquared",
            (d, s, run) => catalog.RepeatedCrossValidate(d, estimator, numberOfFolds, numberOfRepeats, labelColumnName, stratify, s, AblationRunner.Relabel(progress, run)));
    }
}
