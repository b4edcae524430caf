namespace MlNetDeep;

/// <summary>What an executor that trains folds elsewhere needs to know of the search: the task, the fold plan (with the rows it was made from), the search's seed and options.</summary>
internal sealed record FoldExecutorContext(TuningTask Task, FoldPlan Plan, int Seed, DenseNetworkTuningOptions Options);
