using System.Globalization;

namespace MlNetDeep;

/// <summary>
/// One step of a long MlNetDeep operation, reported through <see cref="IProgress{T}"/> so an application can draw its
/// own progress bar: cross-validation (one report per fold), ablation (per fold of each run) and mutual-information
/// selection (about every 5% of the slots). Training reports per epoch with <c>EpochMetrics</c>, tuning per trial.
/// </summary>
/// <param name="Operation">What runs, e.g. "RepeatedCrossValidate", "AblationStudy: image border", "SelectByMutualInformation".</param>
/// <param name="Completed">Steps done so far (1-based after the first report).</param>
/// <param name="Total">Steps in all.</param>
/// <param name="Step">What the step was, with its result, e.g. "repeat 1, fold 3: MicroAccuracy 0.8312".</param>
public sealed record OperationProgress(string Operation, int Completed, int Total, string Step)
{
    /// <summary>Completed / Total, from 0 to 1.</summary>
    public double Fraction => Total <= 0 ? 1 : Math.Clamp((double)Completed / Total, 0, 1);

    /// <summary>"Operation: 3/15 (repeat 1, fold 3: …)".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Operation}: {Completed}/{Total} ({Step})");
}
