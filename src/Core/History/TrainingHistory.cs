using System.Collections;
using System.Globalization;
using System.Text;

namespace MlNetDeep;

/// <summary>
/// The single record of a training run: one <see cref="EpochMetrics"/> per completed epoch, plus how the run ended.
/// </summary>
public sealed class TrainingHistory : IReadOnlyList<EpochMetrics>
{
    private readonly List<EpochMetrics> _epochs = new();

    /// <summary>Creates an empty history (the trainers fill it as they train).</summary>
    public TrainingHistory()
    {
    }

    /// <summary>Creates a history from recorded epochs, e.g. read back from <see cref="ToCsv"/> output or another framework.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="epochs"/> is null.</exception>
    public TrainingHistory(IEnumerable<EpochMetrics> epochs)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        _epochs.AddRange(epochs);
        StopReason = $"recorded: {_epochs.Count} epochs";
    }

    /// <summary>The metric early stopping and <see cref="BestEpoch"/> look at, e.g. "val_loss".</summary>
    public string Monitor { get; internal set; } = "val_loss";

    /// <summary>The epoch (1-based) with the best monitored value, or null when no epoch completed.</summary>
    public int? BestEpoch { get; internal set; }

    /// <summary>How the run ended; <see cref="StopReason"/> says it in a sentence with the numbers.</summary>
    public StopKind Stop { get; internal set; } = StopKind.Completed;

    /// <summary>True when early stopping ended the run before the configured number of epochs (<see cref="Stop"/> is <see cref="StopKind.EarlyStopped"/>).</summary>
    public bool StoppedEarly => Stop == StopKind.EarlyStopped;

    /// <summary>True when training diverged (a NaN or infinite loss, or a loss exploding orders of magnitude above the baseline) or its weights scored non-finite values; <see cref="StopReason"/> says which weights were kept.</summary>
    public bool Diverged => Stop == StopKind.Diverged;

    /// <summary>True when the run was cancelled through a cancellation token (<see cref="Stop"/> is <see cref="StopKind.Cancelled"/>).</summary>
    public bool Cancelled => Stop == StopKind.Cancelled;

    /// <summary>True when the weights were restored from <see cref="BestEpoch"/> at the end of the run.</summary>
    public bool RestoredBestWeights { get; internal set; }

    /// <summary>
    /// The loss of the best constant prediction on the validation rows (their own class priors, or their mean for
    /// regression; example weights included, no penalty), on the training rows when the run had none: the
    /// common-sense baseline a model must beat (ln 10 ≈ 2.303 for ten balanced classes). Null when not recorded (e.g. a history read from CSV; set it there to let
    /// <see cref="Diagnose(FitDiagnosisOptions?)"/> compare against it).
    /// </summary>
    public double? BaselineLoss { get; init; }

    /// <summary>
    /// Reads the run's stage from its losses, as the lecture does: <see cref="FitVerdict.Diverged"/>,
    /// <see cref="FitVerdict.NotLearning"/>, <see cref="FitVerdict.NotGeneralizing"/>, <see cref="FitVerdict.Underfitting"/>,
    /// <see cref="FitVerdict.GoodFit"/> or <see cref="FitVerdict.Overfitting"/> (with the onset epoch), with the evidence and
    /// the next settings to try.
    /// </summary>
    /// <param name="options">The thresholds; null uses the documented defaults.</param>
    /// <exception cref="InvalidOperationException">The history has no epochs.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A threshold in <paramref name="options"/> is out of range.</exception>
    public FitDiagnosis Diagnose(FitDiagnosisOptions? options) => FitDiagnostician.Diagnose(this, options ?? new FitDiagnosisOptions());

    /// <summary>Reads the run's stage with the default thresholds; see <see cref="Diagnose(FitDiagnosisOptions?)"/>.</summary>
    /// <exception cref="InvalidOperationException">The history has no epochs.</exception>
    public FitDiagnosis Diagnose() => Diagnose(null);

    /// <summary>
    /// A one-line account of how the run ended, built from <see cref="Stop"/> with the numbers: "completed 20 epoch(s)",
    /// "stopped early after epoch 6: val_loss did not improve for 2 epoch(s) (…)", "stopped by a callback after epoch
    /// 3", "diverged: … (lower the learning rate)", "cancelled after epoch 4 (during epoch 5)"; "; restored the weights
    /// of epoch N" follows when the best weights were restored, and a warm start's ends with the epoch it continued
    /// from. The seed is not in it: <see cref="ToString"/> shows it next to the reason.
    /// </summary>
    public string StopReason { get; internal set; } = "not started";

    /// <summary>
    /// The seed the run trained with: <c>DenseNetworkOptions.Seed</c>, or the one drawn at random when that was null
    /// (set it to repeat the run). After a warm start, the seed of the latest Fit. Null for a history that no trainer
    /// recorded, or that was saved by a version that did not record it.
    /// </summary>
    public int? Seed { get; internal set; }

    /// <inheritdoc />
    public int Count => _epochs.Count;

    /// <inheritdoc />
    public EpochMetrics this[int index] => _epochs[index];

    /// <summary>Training losses in epoch order.</summary>
    public IReadOnlyList<double> Losses => _epochs.Select(e => e.Loss).ToArray();

    /// <summary>Validation losses in epoch order (NaN where an epoch had none).</summary>
    public IReadOnlyList<double> ValidationLosses => _epochs.Select(e => e.ValidationLoss ?? double.NaN).ToArray();

    /// <summary>Training accuracies in epoch order (NaN where not applicable).</summary>
    public IReadOnlyList<double> Accuracies => _epochs.Select(e => e.Accuracy ?? double.NaN).ToArray();

    /// <summary>Validation accuracies in epoch order (NaN where not applicable).</summary>
    public IReadOnlyList<double> ValidationAccuracies => _epochs.Select(e => e.ValidationAccuracy ?? double.NaN).ToArray();

    internal void Add(EpochMetrics metrics) => _epochs.Add(metrics);

    /// <summary>A copy of the run so far, for a checkpoint written while training goes on.</summary>
    internal TrainingHistory Snapshot(string stopReason)
    {
        var copy = new TrainingHistory(_epochs)
        {
            BaselineLoss = BaselineLoss,
            Monitor = Monitor,
            BestEpoch = BestEpoch,
            Stop = Stop,
            RestoredBestWeights = RestoredBestWeights,
            Seed = Seed,
        };
        copy.StopReason = stopReason;
        return copy;
    }

    /// <inheritdoc />
    public IEnumerator<EpochMetrics> GetEnumerator() => _epochs.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// The history as CSV (invariant culture, round-trip numbers; empty where a value is null): epoch, loss, val_loss,
    /// accuracy, val_accuracy, learning_rate, seconds — Keras' <c>CSVLogger</c> columns plus the duration.
    /// </summary>
    public string ToCsv()
    {
        static string F(double? v) => v?.ToString("R", CultureInfo.InvariantCulture) ?? "";
        var sb = new StringBuilder("epoch,loss,val_loss,accuracy,val_accuracy,learning_rate,seconds\n");
        foreach (var e in _epochs)
            sb.Append(CultureInfo.InvariantCulture, $"{e.Epoch},{F(e.Loss)},{F(e.ValidationLoss)},{F(e.Accuracy)},{F(e.ValidationAccuracy)},{F(e.LearningRate)},{F(e.Duration.TotalSeconds)}\n");
        return sb.ToString();
    }

    /// <summary>"20 epochs; best epoch 20 by val_loss; seed 1; completed 20 epoch(s)" (the seed part only when <see cref="Seed"/> is known).</summary>
    public override string ToString()
    {
        string best = BestEpoch?.ToString(CultureInfo.InvariantCulture) ?? "-";
        string seed = Seed is int s ? string.Create(CultureInfo.InvariantCulture, $"seed {s}; ") : "";
        return string.Create(CultureInfo.InvariantCulture, $"{Count} epochs; best epoch {best} by {Monitor}; {seed}{StopReason}");
    }
}
