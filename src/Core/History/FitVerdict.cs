namespace MlNetDeep;

/// <summary>
/// Where a training run stands on the lecture's road from "training doesn't get started" to "a model that generalizes
/// and can overfit", as <see cref="TrainingHistory.Diagnose()"/> reads it from the history.
/// </summary>
public enum FitVerdict
{
    /// <summary>The loss became non-finite or exploded (or the trainer stopped the run as diverged).</summary>
    Diverged,

    /// <summary>Training doesn't get started: the training loss never gets clearly below the constant-prediction baseline, or barely moves.</summary>
    NotLearning,

    /// <summary>Training gets started, but the validation loss never beats the constant-prediction baseline.</summary>
    NotGeneralizing,

    /// <summary>Training and validation loss both fall or stall without the U-turn of overfitting: the model can't overfit yet (more capacity or more epochs).</summary>
    Underfitting,

    /// <summary>The returned model sits at the bottom of the validation curve: overfitting was stopped at its onset, or the validation loss holds its best with capacity to spare.</summary>
    GoodFit,

    /// <summary>The validation loss bottoms out (at <see cref="FitDiagnosis.OverfittingEpoch"/>) and then rises while the training loss keeps falling.</summary>
    Overfitting,
}
