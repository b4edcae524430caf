namespace MlNetDeep.Cli.Training;

/// <summary>An IProgress that reports on the training thread (Progress&lt;T&gt; posts to the thread pool, after the bar is gone).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
