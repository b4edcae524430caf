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
    /// The one-sided significance level of the Mann-Kendall trend tests (Mann, 1945; Kendall, <i>Rank Correlation
    /// Methods</i>, 1975; the non-parametric trend test of hydrology and climate series) the diagnosis reads curves
    /// with: the epochs from the validation minimum on must rise at this level to count as a U-turn (overfitting), and a
    /// validation loss that keeps falling over the last third of the epochs at this level — however slowly, even under
    /// <see cref="Tolerance"/> — is still improving: the run never reached the U-turn, the model can't overfit within
    /// its epochs, which is Underfitting (the lecture's logistic regression: validation "improves very slowly, instead of
    /// peaking and reversing course"), not a good fit. A flat, noisy curve passes either test at this rate only.
    /// </summary>
    /// <value>The default value is 0.05 (z > 1.645).</value>
    public double TrendSignificance { get; set; } = 0.05;

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
        if (!(TrendSignificance is > 0 and < 0.5))
            throw new ArgumentOutOfRangeException(nameof(TrendSignificance), TrendSignificance, $"Invalid value for TrendSignificance: expected a level in (0, 0.5). Received: TrendSignificance={TrendSignificance}.");
        if (SmoothingWindow is < 1)
            throw new ArgumentOutOfRangeException(nameof(SmoothingWindow), SmoothingWindow, $"Invalid value for SmoothingWindow: expected null or an integer >= 1. Received: SmoothingWindow={SmoothingWindow}.");
    }
}
