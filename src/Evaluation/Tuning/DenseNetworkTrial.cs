using System.Globalization;

namespace MlNetDeep;

/// <summary>
/// One trial of <c>TuneDenseNetwork</c>: one set of <see cref="DenseNetworkOptions"/> cross-validated at one epoch
/// budget, with its metric over the folds, every fold's training history and diagnosis, and the verdict read from the
/// folds' mean learning curve.
/// </summary>
public sealed class DenseNetworkTrial
{
    private readonly DenseNetworkOptions _options;

    internal DenseNetworkTrial(int index, TrialSpec spec, IReadOnlyList<FoldOutcome> folds, TimeSpan duration)
    {
        Index = index;
        Stage = spec.Stage;
        Change = spec.Change;
        BasedOn = spec.BasedOn;
        _options = spec.Options.Clone();
        Folds = folds;
        Metric = MetricSummary.FromValues(MetricName, folds.Select(f => f.Loss));
        Metrics = folds[0].Metrics.Keys
            .Select(name => MetricSummary.FromValues(name, folds.Select(f => f.Metrics.TryGetValue(name, out var v) ? v : double.NaN)))
            .ToArray();
        Histories = folds.Select(f => f.History).ToArray();
        FoldDiagnoses = folds.Select(f => f.Diagnosis).ToArray();
        MeanHistory = TrialDiagnosis.MeanHistory(Histories);
        Diagnosis = TrialDiagnosis.Read(MeanHistory, FoldDiagnoses);
        Duration = duration;
    }

    /// <summary>The name of <see cref="Metric"/>.</summary>
    internal const string MetricName = "HeldOutLoss";

    /// <summary>Every fold's outcome, for a re-evaluation that adds repeats.</summary>
    internal IReadOnlyList<FoldOutcome> Folds { get; }

    /// <summary>The mean held-out loss, with NaN (a fold that could not be scored) ranked last.</summary>
    internal double Rank => double.IsNaN(Metric.Mean) || Metric.Count < Folds.Count ? double.PositiveInfinity : Metric.Mean;

    /// <summary>The trial's number, from 1, in the order the search planned the trials.</summary>
    public int Index { get; }

    /// <summary>The step of the lecture's workflow the trial belongs to.</summary>
    public TuningStage Stage { get; }

    /// <summary>What the trial changes from the trial it is based on, e.g. "HiddenLayerSizes [64, 64]" or "DropoutRate 0.2 + early stopping".</summary>
    public string Change { get; }

    /// <summary>The <see cref="Index"/> of the trial this one changes; null for the first.</summary>
    public int? BasedOn { get; }

    /// <summary>
    /// A copy of the options every fold trained with. <see cref="DenseNetworkOptions.ValidationFraction"/> shows the
    /// share of each fold's training rows that were held out (stratified, passed as <c>ValidationData</c>) for the
    /// validation curves; <see cref="DenseNetworkOptions.Seed"/> is the search's seed, from which each fold's seed is
    /// derived (every trial uses the same fold seeds, so trials differ by their options, not by their initial weights).
    /// </summary>
    public DenseNetworkOptions Options => _options.Clone();

    /// <summary>
    /// The metric the search minimizes, over the folds: each fold network's loss on that fold's held-out rows
    /// (cross-entropy in nats for classification, mean squared error for regression; no penalty). Mean and
    /// <see cref="MetricSummary.StandardDeviation"/> are over the folds.
    /// </summary>
    public MetricSummary Metric { get; }

    /// <summary>ML.NET's evaluation metrics on the held-out rows (e.g. Accuracy, AreaUnderRocCurve, MicroAccuracy, RSquared), each over the folds.</summary>
    public IReadOnlyList<MetricSummary> Metrics { get; }

    /// <summary>Every fold network's training history, in fold order (repeat by repeat); validation losses are on the fold's validation rows, with its constant-prediction <see cref="TrainingHistory.BaselineLoss"/>.</summary>
    public IReadOnlyList<TrainingHistory> Histories { get; }

    /// <summary>Each fold history's own diagnosis, in the order of <see cref="Histories"/>.</summary>
    public IReadOnlyList<FitDiagnosis> FoldDiagnoses { get; }

    /// <summary>
    /// The cross-validated learning curve: per epoch, the mean over the folds of the training and validation losses
    /// (and accuracies) of the folds that reached it, up to the last epoch most folds completed (early stopping ends
    /// folds at different epochs), with the folds' mean baseline loss (Chollet's K-fold
    /// practice: average each epoch's validation score over the folds). What <see cref="Diagnosis"/> reads; draw it
    /// with <c>LearningCurvePlot</c>.
    /// </summary>
    public TrainingHistory MeanHistory { get; }

    /// <summary>
    /// The trial's verdict, read from <see cref="MeanHistory"/> (the folds' mean curve: √K less noise than one fold's,
    /// so a rise the folds share is seen), with its onset epoch; its evidence opens with how many folds alone read the
    /// same (each fold's own diagnosis is in <see cref="FoldDiagnoses"/>).
    /// </summary>
    public FitDiagnosis Diagnosis { get; }

    /// <summary>The epochs each fold trained at most: the trial's budget (<see cref="DenseNetworkOptions.Epochs"/>).</summary>
    public int Epochs => _options.Epochs;

    /// <summary>
    /// True when successive halving stopped this candidate here: a better half continued with more epochs. Decided once
    /// its whole rung has finished, so <see cref="DenseNetworkTuningOptions.Progress"/> sees it false.
    /// </summary>
    public bool Pruned { get; internal set; }

    /// <summary>Wall-clock time from the trial's first fold starting to its last fold finishing.</summary>
    public TimeSpan Duration { get; }

    /// <summary>"#3 ScaleUp HiddenLayerSizes [64, 64]: HeldOutLoss 0.4123 ± 0.0310, Overfitting from epoch 7".</summary>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture,
            $"#{Index} {Stage} {Change}: {Metric.Name} {Metric.Mean:0.0000} ± {Metric.StandardDeviation:0.0000}, {Diagnosis.Verdict}{(Diagnosis.OverfittingEpoch is int k ? $" from epoch {k}" : "")}{(Pruned ? " (pruned)" : "")}");
}
