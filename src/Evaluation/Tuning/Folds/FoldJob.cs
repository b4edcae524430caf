namespace MlNetDeep;

/// <summary>
/// One fold of one trial to train: the trial's options and the fold. <see cref="Spec"/> and <see cref="Slot"/> place
/// the outcome (the trial among the batch's specs, the fold among the trial's folds).
/// </summary>
internal sealed record FoldJob(int Spec, int Slot, DenseNetworkOptions Options, TuningFold Fold);
