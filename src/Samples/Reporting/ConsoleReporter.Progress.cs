using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace MlNetDeep.Samples.Reporting;

/// <summary>The progress bars (terminal) and step lines (redirected output) of <see cref="ConsoleReporter"/>.</summary>
public sealed partial class ConsoleReporter
{
    private ProgressContext? _bars;
    private ProgressTask? _epochBar;
    private string? _epochBarRun;

    /// <summary>
    /// Runs <paramref name="work"/> under a live Spectre progress display when interactive: while it runs, every
    /// <see cref="ForRun"/> sink draws a bar per epoch and every <see cref="ForOperation"/> sink a bar per step, each
    /// with its ETA; lines written meanwhile scroll above the bars. When redirected, just runs the work (the sinks
    /// write lines).
    /// </summary>
    /// <typeparam name="T">The work's result.</typeparam>
    /// <param name="work">The work, e.g. one experiment.</param>
    /// <returns>What the work returned.</returns>
    public T WithProgressBars<T>(Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (_console is null || _bars is not null)
            return work();
        return _console.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                _bars = context;
                try
                {
                    return work();
                }
                finally
                {
                    lock (_gate)
                    {
                        _bars = null;
                        _epochBar = null;
                        _epochBarRun = null;
                    }
                }
            });
    }

    /// <summary>
    /// A progress sink for a long library operation (cross-validation, ablation, mutual-information selection): a bar
    /// with an ETA on a terminal (inside <see cref="WithProgressBars{T}"/>); when redirected, one line per step such as
    /// "[5-fold] 3/5 repeat 1, fold 3: MicroAccuracy 0.8312  ~24s left".
    /// </summary>
    /// <param name="name">A short name, e.g. "5-fold" or "ablation".</param>
    public IProgress<OperationProgress> ForOperation(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new StepProgress(this, name);
    }

    /// <summary>
    /// A progress sink counting steps of a known total that report no <see cref="OperationProgress"/> themselves,
    /// e.g. tuning trials (<c>DenseNetworkTuningOptions.Progress</c>) or a loop of hold-out splits.
    /// </summary>
    /// <typeparam name="T">What each step reports.</typeparam>
    /// <param name="name">A short name, e.g. "tune".</param>
    /// <param name="total">The planned number of steps (an upper bound when the work may stop early).</param>
    /// <param name="describe">The step's text, e.g. the trial's change and metric.</param>
    public IProgress<T> ForSteps<T>(string name, int total, Func<T, string> describe)
    {
        ArgumentNullException.ThrowIfNull(describe);
        var inner = ForOperation(name);
        int completed = 0;
        return new CountingProgress<T>(value => inner.Report(new OperationProgress(name, Interlocked.Increment(ref completed), total, describe(value))));
    }

    /// <summary>A new run's first epoch replaces the previous run's bar (an early-stopped run never reaches its planned total).</summary>
    private void UpdateEpochBar(string runName, int epoch, int? totalEpochs)
    {
        lock (_gate)
        {
            if (_bars is null)
                return;
            if (_epochBar is null || _epochBarRun != runName || epoch <= _epochBar.Value)
            {
                _epochBar?.StopTask();
                _epochBar = _bars.AddTask(Markup.Escape($"[{runName}] epochs"), maxValue: totalEpochs ?? 1);
                _epochBar.IsIndeterminate = totalEpochs is null;
                _epochBarRun = runName;
            }
            _epochBar.Value = totalEpochs is null ? 0 : epoch;
            if (totalEpochs is int total && epoch >= total)
                _epochBar.StopTask();
        }
    }

    /// <summary>One bar (and one ETA clock) per operation: an ablation reports each run's folds as its own operation.</summary>
    private sealed class StepProgress(ConsoleReporter reporter, string name) : IProgress<OperationProgress>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _operationStart, _lastReport;
        private string? _operation;
        private ProgressTask? _bar;

        public void Report(OperationProgress value)
        {
            ArgumentNullException.ThrowIfNull(value);
            string label;
            TimeSpan elapsed;
            lock (reporter._gate)
            {
                if (value.Operation != _operation)
                {
                    // the sink exists from the operation's start; a later operation starts when the previous one ended
                    _operationStart = _operation is null ? TimeSpan.Zero : _lastReport;
                    _operation = value.Operation;
                    _bar?.StopTask();
                    _bar = null;
                }
                label = Label(name, value);
                _lastReport = _clock.Elapsed;
                elapsed = _lastReport - _operationStart;
                if (reporter._bars is { } bars)
                {
                    _bar ??= bars.AddTask(Markup.Escape(label), maxValue: Math.Max(1, value.Total));
                    _bar.MaxValue = Math.Max(1, value.Total);
                    _bar.Value = value.Completed;
                    _bar.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{label} {value.Completed}/{value.Total}"));
                    if (value.Completed >= value.Total)
                        _bar.StopTask();
                    return;
                }
            }
            reporter.Info(Line(label, value, elapsed));
        }
    }

    /// <summary>"[ablation] without image border": the part of the operation after "Name: " tells its runs apart.</summary>
    private static string Label(string name, OperationProgress value)
    {
        int colon = value.Operation.IndexOf(": ", StringComparison.Ordinal);
        return colon < 0 ? $"[{name}]" : $"[{name}] {value.Operation[(colon + 2)..]}";
    }

    /// <summary>"[5-fold] 3/5 step  ~24s left": the ETA extrapolates the mean time per step so far.</summary>
    internal static string Line(string label, OperationProgress value, TimeSpan elapsed)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{label} {value.Completed}/{value.Total} {value.Step}");
        if (value.Completed > 0 && value.Completed < value.Total)
        {
            double left = elapsed.TotalSeconds / value.Completed * (value.Total - value.Completed);
            line += string.Create(CultureInfo.InvariantCulture, $"  ~{left:F0}s left");
        }
        return line;
    }

    private sealed class CountingProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
