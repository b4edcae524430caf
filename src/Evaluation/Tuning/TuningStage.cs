namespace MlNetDeep;

/// <summary>
/// The steps of the lecture's workflow (Chollet, ch. 5, §1.3–1.4) that <c>TuneDenseNetwork</c> runs in this order; each
/// trial belongs to one.
/// </summary>
public enum TuningStage
{
    /// <summary>A small first model with the base options, to compare with the constant-prediction baseline ("beat a common-sense baseline").</summary>
    Baseline,

    /// <summary>The small model at the learning rate the range test (<c>FindLearningRate</c>) suggests, checked against the default rate by cross-validation.</summary>
    LearningRate,

    /// <summary>
    /// Wider and deeper models, one after another, each at a rate below the range test's suggestion for it and trained for
    /// three times the template's epochs (a larger model at a lower rate needs longer to show its U-turn), until the
    /// folds' mean learning curve reads <see cref="FitVerdict.Overfitting"/> ("to get the perfect fit, first overfit") and
    /// a larger model no longer does better (early-stopped validation loss or held-out loss).
    /// </summary>
    ScaleUp,

    /// <summary>The model that overfits, regularized: early stopping at the onset, dropout, L2; weak candidates are pruned after a short budget of epochs (successive halving).</summary>
    Regularize,

    /// <summary>The best few trials cross-validated again on freshly shuffled folds (repeated K-fold); the best mean decides.</summary>
    Choose,
}
