using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MlNetDeep.BagOfWords;

/// <summary>
/// Whether a second thread is paying off: the process's CPU time over the wall time since the probe started. On an
/// idle machine two busy threads make it close to 2; when other processes hold the cores (or a CPU quota caps the
/// process) it stays near 1 or below, and a second thread then only adds its overhead (the per-thread tables' merge,
/// the hand-offs) to a time that other processes' share of the cores decides. Used once per fit or cursor, after
/// <see cref="Window"/>: the process's CPU time is a system call, not something to read per row. On Linux it is read
/// with <c>getrusage</c> (microseconds; <see cref="Process.TotalProcessorTime"/> there counts 10 ms clock ticks, too
/// coarse for a 25 ms window), elsewhere from <see cref="Process"/> over a 100 ms window.
/// </summary>
internal sealed class CoreProbe
{
    /// <summary>How long parallel work runs before it is judged.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(OperatingSystem.IsLinux() ? 25 : 100);

    /// <summary>The CPU-to-wall ratio below which a second thread is dropped: 2 threads on 2 idle cores measure about 1.9.</summary>
    public const double MinimumRate = 1.4;

    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly TimeSpan _cpu = ProcessCpu();
    private bool _judged;

    /// <summary>
    /// Null until the window has passed, then once: whether the process ran on more than one core at a time
    /// (its CPU time at least <see cref="MinimumRate"/> times the wall time); null again afterwards.
    /// </summary>
    public bool? Verdict()
    {
        if (_judged || _wall.Elapsed < Window)
            return null;
        _judged = true;
        return (ProcessCpu() - _cpu).TotalSeconds >= MinimumRate * _wall.Elapsed.TotalSeconds;
    }

    private static TimeSpan ProcessCpu()
    {
        if (OperatingSystem.IsLinux() && Environment.Is64BitProcess && getrusage(0, out var usage) == 0) // RUSAGE_SELF: every thread of the process
            return TimeSpan.FromTicks((usage.UserSeconds + usage.SystemSeconds) * TimeSpan.TicksPerSecond + (usage.UserMicroseconds + usage.SystemMicroseconds) * 10);
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    [DllImport("libc", SetLastError = false)]
#pragma warning disable SA1300 // the C function's name
    private static extern int getrusage(int who, out ResourceUsage usage);
#pragma warning restore SA1300

    /// <summary>Linux's 64-bit <c>struct rusage</c>: two <c>struct timeval</c> read here, then 14 longs (144 bytes in all).</summary>
    [StructLayout(LayoutKind.Sequential, Size = 144)]
    private struct ResourceUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
    }
}
