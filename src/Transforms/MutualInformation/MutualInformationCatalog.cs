using Microsoft.ML;

namespace MlNetDeep;

/// <summary>Catalog entry points of mutual-information feature selection.</summary>
public static class MutualInformationCatalog
{
    /// <summary>
    /// Keeps the <paramref name="slotsInOutput"/> slots of <paramref name="inputColumnName"/> with the highest mutual
    /// information with the label (256 equal-width bins per slot; ties go to the lower slot index; more slots than
    /// the column has keeps them all). The fitted transformer exposes <c>Scores</c> and <c>SelectedSlots</c>.
    /// </summary>
    /// <param name="catalog">The feature-selection catalog.</param>
    /// <param name="outputColumnName">The column the kept slots are written to.</param>
    /// <param name="inputColumnName">The known-size Single vector column to score; null means <paramref name="outputColumnName"/>.</param>
    /// <param name="labelColumnName">The label: Boolean, key, Single or Double (binned into 10 equal-width bins).</param>
    /// <param name="slotsInOutput">How many slots to keep; the default is 1000.</param>
    /// <returns>The estimator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> is null.</exception>
    /// <exception cref="ArgumentException">An argument is invalid; the message lists every one.</exception>
    public static MutualInformationSelectingEstimator SelectByMutualInformation(this TransformsCatalog.FeatureSelectionTransforms catalog,
        string outputColumnName, string? inputColumnName = null, string labelColumnName = "Label", int slotsInOutput = 1000)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new MutualInformationSelectingEstimator(new MutualInformationSelectionOptions
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            LabelColumnName = labelColumnName,
            SlotsInOutput = slotsInOutput,
        });
    }

    /// <summary>Selects slots by mutual information with the label as <paramref name="options"/> say (top count, top percentile or score threshold).</summary>
    /// <param name="catalog">The feature-selection catalog.</param>
    /// <param name="options">The options; copied, never written back.</param>
    /// <returns>The estimator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">One or more options are invalid; the message lists every one.</exception>
    public static MutualInformationSelectingEstimator SelectByMutualInformation(this TransformsCatalog.FeatureSelectionTransforms catalog,
        MutualInformationSelectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new MutualInformationSelectingEstimator(options);
    }
}
