using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace MlNetDeep;

/// <summary>
/// Trains folds on up to <c>workers</c> threads of this process, taking jobs in order; each network trains on one
/// libtorch thread (its own <see cref="DenseNetworkOptions.NumberOfThreads"/>), so the workers do not wait for each
/// other's threads. Results do not depend on the number of workers.
/// </summary>
internal sealed class LocalFoldExecutor(TuningTask task, int seed, int workers, TimeProvider clock) : IFoldExecutor
{
    public void Execute(IReadOnlyList<FoldJob> jobs, Func<FoldJob, bool> mayStart, Action<FoldJob, FoldOutcome> finished, CancellationToken token)
    {
        Exception? error = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        var queue = new ConcurrentQueue<FoldJob>(jobs);
        void Work()
        {
            while (queue.TryDequeue(out var job))
            {
                if (stop.IsCancellationRequested || !mayStart(job))
                    continue;
                try
                {
                    finished(job, FoldTraining.Train(task, job.Options, job.Fold, seed, stop.Token, clock));
                }
                catch (OperationCanceledException)
                {
                    // the time ran out, the search was cancelled, or another fold failed: this fold is left out
                }
                catch (Exception ex)
                {
                    Interlocked.CompareExchange(ref error, ex, null);
                    stop.Cancel();
                }
            }
        }

        int count = Math.Min(workers, jobs.Count);
        if (count <= 1)
            Work();
        else
            Task.WaitAll(Enumerable.Range(0, count).Select(_ => Task.Factory.StartNew(Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray());
        if (error is not null)
            ExceptionDispatchInfo.Capture(error).Throw();
    }
}
