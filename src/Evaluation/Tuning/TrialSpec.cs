namespace MlNetDeep;

/// <summary>
/// A trial the search has planned: its stage, what it changes, the options every fold trains with, and how many
/// repeats of the fold plan it is scored on. A <see cref="TuningStage.Choose"/> re-evaluation reuses the folds its
/// <see cref="Reuse"/> trial already trained and adds the other repeats.
/// </summary>
internal sealed record TrialSpec(TuningStage Stage, string Change, int? BasedOn, DenseNetworkOptions Options, int Repeats = 1, DenseNetworkTrial? Reuse = null);
