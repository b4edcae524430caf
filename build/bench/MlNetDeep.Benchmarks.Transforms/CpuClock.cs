using System.Diagnostics;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// The process's CPU time (all threads: workers, GC, JIT) since start or the last restart: on a machine shared with
/// other busy processes it counts the work done, where wall time counts the waits for a core too.
/// </summary>
internal sealed class CpuClock
{
    private TimeSpan _start = Now();

    public static CpuClock StartNew() => new();

    public TimeSpan Elapsed => Now() - _start;

    public void Restart() => _start = Now();

    private static TimeSpan Now()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}
