namespace MlNetDeep.Cli.FanOut;

/// <summary>A scheduler that runs the tasks of a batch as a job array: Slurm here; tests run them in this process.</summary>
internal interface IJobArray
{
    /// <summary>
    /// Runs tasks 0 … <paramref name="taskCount"/>−1 of the batch at <paramref name="batchPath"/>, each one
    /// <c>mlnetdeep worker --plan batchPath</c>, at most <paramref name="maxParallel"/> at once, and returns when every
    /// task has ended. <paramref name="poll"/> is called about once a second meanwhile; when it returns false, or when
    /// <paramref name="token"/> is cancelled, the tasks still queued or running are cancelled and the call returns.
    /// </summary>
    void Run(string batchPath, int taskCount, int maxParallel, int cpusPerTask, Func<bool> poll, CancellationToken token);

    /// <summary>Where a task's output can be read, for error messages.</summary>
    string LogOf(string batchPath, int task);
}
