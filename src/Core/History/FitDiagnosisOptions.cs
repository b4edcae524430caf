namespace MlNetDeep;

/// <summary>
/// The thresholds <see cref="TrainingHistory.Diagnose(FitDiagnosisOptions?)"/> judges a history by. Every one is
/// relative to the losses themselves, so the same settings read classification and regression runs.
/// </summary>
public sealed class FitDiagnosisOptions
{
    /// <summary>
    /// The smallest relative change that counts as a real one: a loss must get this fraction below the baseline to
    /// "beat" it, and a smoothed validation loss must rise this fraction above its minimum to count as overfitting
    /// (deepchecks' train-test degradation checks use a 5% threshold by default; a smaller value turns noise into verdicts).
    /// </summary>
    /// <value>The default value is 0.05.</value>
    public double Tolerance { get; set; } = 0.05;

    /// <summary>
    /// A training loss this many times above the best one so far is an explosion (fastai's learning-rate finder
    /// stops at 4× the best smoothed loss); the first epoch's loss this many times above the baseline says the
    /// steps overshoot from the start (Karpathy's recipe: the initial loss should be about the baseline's).
    /// </summary>
    /// <value>The default value is 4.</value>
    public double DivergenceFactor { get; set; } = 4;

    /// <summary>
    /// A train-validation gap, (validation loss − training loss) / validation loss at the end of the run, below
    /// which the model is not memorizing anything yet: with no U-turn in the validation loss, such a run underfits.
    /// </summary>
    /// <value>The default value is 0.1.</value>
    public double GapTolerance { get; set; } = 0.1;

    /// <summary>
    /// Epochs in the centered moving window the trends are read from (a mean without its highest and lowest epoch, the median for 3), so one noisy epoch (batch 32 on a few
    /// thousand rows) cannot flip the verdict; null picks about a fifth of the epochs, from 1 to 5.
    /// </summary>
    /// <value>The default value is null (automatic).</value>
    public int? SmoothingWindow { get; set; }

    internal void Validate()
    {
        if (!(Tolerance is > 0 and < 1))
            throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, $"Invalid value for Tolerance: expected a fraction in (0, 1). Received: Tolerance={Tolerance}.");
        if (!(DivergenceFactor > 1) || double.IsInfinity(DivergenceFactor))
            throw new ArgumentOutOfRangeException(nameof(DivergenceFactor), DivergenceFactor, $"Invalid value for DivergenceFactor: expected a finite number > 1. Received: DivergenceFactor={DivergenceFactor}.");
        if (!(GapTolerance is > 0 and < 1))
            throw new ArgumentOutOfRangeException(nameof(GapTolerance), GapTolerance, $"Invalid value for GapTolerance: expected a fraction in (0, 1). Received: GapTolerance={GapTolerance}.");
        if (SmoothingWindow is < 1)
            throw new ArgumentOutOfRangeException(nameof(SmoothingWindow), SmoothingWindow, $"Invalid value for SmoothingWindow: expected null or an integer >= 1. Received: SmoothingWindow={SmoothingWindow}.");
    }
}
