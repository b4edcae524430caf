using System.Runtime.ExceptionServices;

namespace MlNetDeep;

/// <summary>
/// Runs numbered jobs (the folds of a cross-validation) on up to a given number of dedicated threads, each taking the
/// next job in order, and returns the results in job order, so the outcome never depends on the number of workers.
/// Each worker is a thread of its own: libtorch's intra-op thread count is set per calling thread (its OpenMP and MKL
/// settings are thread-local), so a DenseNetwork fit on one worker does not change another's.
/// </summary>
internal static class FoldWorkers
{
    /// <summary>
    /// Runs <paramref name="job"/> for 0 … <paramref name="count"/>−1; <paramref name="finished"/> is called after each,
    /// one at a time, with the result and how many jobs have finished. An exception a job throws (cancellation) stops
    /// the others from taking new jobs and is rethrown once the running ones have returned.
    /// </summary>
    public static T[] Run<T>(int count, int maxParallel, Func<int, T> job, Action<T, int> finished)
    {
        var results = new T[count];
        var gate = new object();
        int next = -1, done = 0;
        Exception? error = null;

        void Work()
        {
            int j;
            while (Volatile.Read(ref error) is null && (j = Interlocked.Increment(ref next)) < count)
            {
                try
                {
                    var result = job(j);
                    results[j] = result;
                    lock (gate)
                        finished(result, ++done);
                }
                catch (Exception ex)
                {
                    Interlocked.CompareExchange(ref error, ex, null);
                }
            }
        }

        int workers = Math.Min(maxParallel, count);
        if (workers <= 1)
            Work();
        else
            Task.WaitAll(Enumerable.Range(0, workers)
                .Select(_ => Task.Factory.StartNew(Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray());
        if (error is not null)
            ExceptionDispatchInfo.Capture(error).Throw();
        return results;
    }
}
