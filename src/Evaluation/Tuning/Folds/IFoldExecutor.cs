namespace MlNetDeep;

/// <summary>
/// Where the folds of a batch of trials train: threads of this process (<see cref="LocalFoldExecutor"/>, the default)
/// or the tasks of a job array on a cluster. The search itself — which trials a batch holds, and what the next batch
/// is after reading the verdicts — stays with <see cref="TrialRunner"/>; an executor only trains folds, each through
/// <see cref="FoldTraining.Train"/> with the seed derived from the search's, so the outcomes do not depend on where
/// they ran.
/// </summary>
internal interface IFoldExecutor
{
    /// <summary>
    /// Trains the jobs' folds. Before a fold starts, <paramref name="mayStart"/> is asked (false leaves it out: the
    /// trial's other folds failed, or the time left cannot fit it); each outcome goes to <paramref name="finished"/>
    /// as it arrives, from any thread, once per job. A fold cancelled by <paramref name="token"/> (the search's
    /// deadline or its cancellation) gets no call; when a fold fails the others are stopped and the failure is thrown
    /// once every fold has ended.
    /// </summary>
    void Execute(IReadOnlyList<FoldJob> jobs, Func<FoldJob, bool> mayStart, Action<FoldJob, FoldOutcome> finished, CancellationToken token);
}
