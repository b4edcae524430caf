using System.Globalization;

namespace MlNetDeep.Training;

/// <summary>
/// Decides when a run has diverged. RMSprop and Adam at absurd learning rates rarely reach NaN: cross-entropy of huge
/// logits stays finite, so the loss sits at 1e5–1e22 while the weights are garbage. So besides a non-finite loss, an
/// explosion counts: an epoch's mean training loss more than <see cref="ExplosionFactor"/> × the reference loss whose
/// final weights have not come back below <see cref="RecoveryFactor"/> × the reference.
/// </summary>
/// <remarks>
/// <para>
/// Reference = max(baseline, min(initial loss, lowest loss of an accepted epoch)). The baseline is the loss of the
/// best constant prediction on the training rows (<see cref="BaselineLoss"/>); where it is 0 (constant labels) the
/// initial loss takes its place. The initial loss is the first mini-batch's loss, measured before any step. Taking
/// the larger keeps a run that starts far above the baseline (unscaled inputs, a big penalty) from being judged
/// against a baseline it has not reached yet, and keeps a tiny best loss (0.0004) from making a bump look like an
/// explosion, while a run that explodes after coming down is judged against how far it had come.
/// </para>
/// <para>
/// Only an epoch whose mean is above the explosion line has its final weights scored on the training rows (inference
/// mode, penalty included): if they are back within <see cref="RecoveryFactor"/> × the reference the run goes on.
/// </para>
/// <para>
/// Why 10⁶ and 10: measured (seed 42 unless stated; × = ratio to the baseline). The lab's experiment 3
/// (Fashion-MNIST, 48,000 rows, Dense 512 → 10, RMSprop, batch 128; baseline 2.303): lr 1.0 peaks at a mean of
/// 1,421 in epoch 1 (617 ×; seeds 43 and 44: 610 ×, 551 ×; its final weights score 1.06 ×) and stays within
/// 1.5 × afterwards; lr 1e-2 stays at or below 0.43 ×. The same run on the 4,000-row embedded subset: 8,060–12,450 ×
/// in epoch 1 over three seeds (final weights 13–85 ×); on the tiny budget's 400 rows: 40,640–48,920 ×. Higher rates on
/// the full data: lr 10 has 64,270 × in epoch 1 (final weights 5.7 ×, then stuck at 4.7 ×); lr 100 6.4·10⁶ × (final
/// weights 113 ×, then stuck at 58 ×); lr 1e3 6.4·10⁸ × (final weights 3,914 ×, then stuck at 590 ×). Synthetic
/// tasks (500 rows, 4 features, Dense 64; baselines 0.68 / 1.10 / 0.68): lr 1 peaks at 8.5·10⁴ × (regression,
/// RMSprop, final weights 806 ×, back to 0.98 × by epoch 10); lr 100 for classification at 7.1·10⁴–7.0·10⁵ ×; lr 1e3
/// gives 7.7·10⁶–7.3·10⁷ × (classification) and 10¹⁵–10¹⁷ × (regression) in epoch 1, with final weights at
/// 5·10⁶ × and more. So 10⁶ lies 80 × above the lab's lr 1.0 runs on the full data and the embedded subset (20 × on
/// the tiny budget), 12 × above the largest spike that recovered, and 7.7 × below the smallest lr 1e3 epoch; of the
/// epochs above it, none had final weights back within 10 × (the closest: 113 ×).
/// </para>
/// </remarks>
internal sealed class DivergenceGuard
{
    /// <summary>How far above the reference an epoch's mean training loss must be to count as an explosion.</summary>
    public const double ExplosionFactor = 1e6;

    /// <summary>How close to the reference the weights an exploding epoch ended with must be to let the run go on.</summary>
    public const double RecoveryFactor = 10;

    private double _initial = double.NaN;
    private double _lowest = double.PositiveInfinity;

    public DivergenceGuard(double baseline) => Baseline = baseline;

    /// <summary>The loss of the best constant prediction on the training rows.</summary>
    public double Baseline { get; }

    /// <summary>The loss the explosion line is drawn from: max(baseline, min(initial loss, lowest accepted loss)).</summary>
    public double Reference
    {
        get
        {
            double best = double.IsNaN(_initial) ? _lowest : Math.Min(_initial, _lowest);
            double anchor = Baseline > 0 || double.IsNaN(_initial) ? Baseline : _initial;
            return double.IsPositiveInfinity(best) ? anchor : Math.Max(anchor, best);
        }
    }

    /// <summary>Records the first mini-batch's loss (the untrained network's).</summary>
    public void SetInitialLoss(double loss)
    {
        if (double.IsNaN(_initial) && double.IsFinite(loss))
            _initial = loss;
    }

    /// <summary>True when an epoch's mean training loss is non-finite or more than <see cref="ExplosionFactor"/> × <see cref="Reference"/>.</summary>
    public bool Exploded(double epochLoss) => !double.IsFinite(epochLoss) || Above(epochLoss, ExplosionFactor);

    /// <summary>True when the loss of the weights an exploding epoch ended with is finite and within <see cref="RecoveryFactor"/> × <see cref="Reference"/>.</summary>
    public bool Recovered(double endLoss) => double.IsFinite(endLoss) && !Above(endLoss, RecoveryFactor);

    /// <summary>Records the loss of an epoch that did not diverge.</summary>
    public void Accept(double loss)
    {
        if (double.IsFinite(loss))
            _lowest = Math.Min(_lowest, loss);
    }

    /// <summary>Why an epoch counts as an explosion, with the numbers.</summary>
    public string Explain(double epochLoss, double endLoss, int epoch) => string.Create(CultureInfo.InvariantCulture,
        $"the training loss rose to {epochLoss:G4} in epoch {epoch}, more than {ExplosionFactor:G} × the reference loss {Reference:G4} (the baseline, a constant prediction's loss, is {Baseline:G4}), and the weights it ended with still score {endLoss:G4} on the training rows");

    private bool Above(double loss, double factor)
    {
        double reference = Reference;
        return reference > 0 && loss > factor * reference;
    }
}
