using System.Globalization;

namespace MlNetDeep;

/// <summary>
/// Runs planned trials within the search's budgets: every fold of every trial of a batch is one job, handed to the
/// fold executor — up to <see cref="DenseNetworkTuningOptions.MaxParallelTrials"/> threads of this process by default,
/// or a job array on a cluster (<see cref="DenseNetworkTuningOptions.FoldExecutor"/>). A trial starts only while
/// <see cref="DenseNetworkTuningOptions.MaxTrials"/> allows it and the time left fits its estimate; a fold still
/// training when the time is up is cancelled and its trial left out. Results do not depend on the number of
/// workers, nor on where they run: each fold trains on one thread with a seed derived from the search's seed, the repeat
/// and the fold.
/// </summary>
internal sealed class TrialRunner
{
    /// <summary>Parameters a fold fit costs as much as, whatever its size (reading, scoring, per-batch overhead).</summary>
    private const double FixedCostParameters = 2000;

    /// <summary>The longest delay a cancellation timer takes (about 49 days); a later deadline needs none.</summary>
    private static readonly TimeSpan LongestTimer = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly FoldPlan _plan;
    private readonly DenseNetworkTuningOptions _options;
    private readonly TimeProvider _clock;
    private readonly long _start;
    private readonly int _inputSize;
    private readonly IFoldExecutor _executor;
    private readonly List<DenseNetworkTrial> _trials = new();
    private readonly object _gate = new();
    private readonly object _progressGate = new();
    private int _lastIndex;
    private double _busySeconds, _busyUnits, _largestUnits;

    public TrialRunner(TuningTask task, FoldPlan plan, DenseNetworkTuningOptions options, int inputSize, int seed)
    {
        _plan = plan;
        _options = options;
        _clock = options.TimeProvider;
        _start = _clock.GetTimestamp();
        _inputSize = inputSize;
        _executor = options.FoldExecutor?.Invoke(new FoldExecutorContext(task, plan, seed, options))
            ?? new LocalFoldExecutor(task, seed, options.MaxParallelTrials, _clock);
    }

    /// <summary>The size of the feature vector every network reads.</summary>
    public int InputSize => _inputSize;

    /// <summary>The trials that finished, in index order.</summary>
    public IReadOnlyList<DenseNetworkTrial> Trials => _trials;

    /// <summary>Why the search stopped before its end (time or trial budget); null while it may go on.</summary>
    public string? StopReason { get; private set; }

    /// <summary>True once a budget has stopped the search.</summary>
    public bool Stopped => StopReason is not null;

    /// <summary>Time since the search started, on the search's clock.</summary>
    public TimeSpan Elapsed => _clock.GetElapsedTime(_start);

    private bool Timed => _options.MaxTime != Timeout.InfiniteTimeSpan;

    /// <summary>Seconds kept for the refit on all rows: the largest network so far, scaled from fold rows to all rows.</summary>
    public double RefitReserveSeconds
    {
        get
        {
            lock (_gate)
            {
                if (_busyUnits == 0)
                    return 0;
                double foldRows = _plan.Folds.Average(f => f.TrainingRows);
                return _busySeconds / _busyUnits * _largestUnits * _plan.Rows / foldRows;
            }
        }
    }

    /// <summary>When trials must end: MaxTime less the refit's reserve.</summary>
    private TimeSpan TrialDeadline => Timed ? _options.MaxTime - TimeSpan.FromSeconds(RefitReserveSeconds) : TimeSpan.MaxValue;

    /// <summary>The seed of fold <paramref name="fold"/> of repeat <paramref name="repeat"/> (SplitMix64 of the three).</summary>
    public static int FoldSeed(int seed, int repeat, int fold)
    {
        ulong z = unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL + (ulong)repeat * 0xBF58476D1CE4E5B9UL + (ulong)fold * 0x94D049BB133111EBUL + 1);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)((z ^ (z >> 31)) & 0x7FFFFFFF);
    }

    /// <summary>
    /// Runs the specs; returns their trials in spec order, null for each that did not run (budget) — after which
    /// <see cref="Stopped"/> is true and later calls run nothing.
    /// </summary>
    /// <exception cref="OperationCanceledException">The search's cancellation token was cancelled.</exception>
    public IReadOnlyList<DenseNetworkTrial?> Run(IReadOnlyList<TrialSpec> specs)
    {
        var results = new DenseNetworkTrial?[specs.Count];
        var admitted = Admit(specs);
        if (admitted.Count == 0)
            return results;

        var jobs = new List<FoldJob>();
        var outcomes = new FoldOutcome?[specs.Count][];
        var remaining = new int[specs.Count];
        var indices = new int[specs.Count];
        foreach (int s in admitted)
        {
            var spec = specs[s];
            int reused = spec.Reuse?.Folds.Count ?? 0;
            var folds = _plan.FirstRepeats(spec.Repeats).ToArray();
            outcomes[s] = new FoldOutcome?[folds.Length];
            for (int j = 0; j < reused; j++)
                outcomes[s][j] = spec.Reuse!.Folds[j];
            for (int j = reused; j < folds.Length; j++)
                jobs.Add(new FoldJob(s, j, spec.Options, folds[j]));
            remaining[s] = folds.Length - reused;
            indices[s] = ++_lastIndex;
        }

        var failed = new bool[specs.Count];
        var started = new long[specs.Count];
        var token = _options.CancellationToken;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        if (Timed)
        {
            var left = TrialDeadline - Elapsed;
            if (left <= TimeSpan.Zero)
                stop.Cancel();
            else if (left < LongestTimer)
                stop.CancelAfter(left);
        }

        bool MayStart(FoldJob job)
        {
            int s = job.Spec;
            if (Volatile.Read(ref failed[s]) || stop.IsCancellationRequested || !FitsInTime(job.Options))
            {
                Volatile.Write(ref failed[s], true); // the trial cannot finish: its other folds need not start
                return false;
            }
            Interlocked.CompareExchange(ref started[s], _clock.GetTimestamp(), 0);
            return true;
        }

        void Finished(FoldJob job, FoldOutcome outcome)
        {
            int s = job.Spec;
            Measured(job.Options, outcome);
            outcomes[s][job.Slot] = outcome;
            if (Interlocked.Decrement(ref remaining[s]) == 0 && !Volatile.Read(ref failed[s]))
            {
                var trial = new DenseNetworkTrial(indices[s], specs[s], outcomes[s]!, _clock.GetElapsedTime(started[s]));
                results[s] = trial;
                lock (_progressGate)
                    _options.Progress?.Report(trial);
            }
        }

        _executor.Execute(jobs, MayStart, Finished, stop.Token);
        token.ThrowIfCancellationRequested();
        foreach (int s in admitted)
        {
            if (results[s] is { } trial)
                _trials.Add(trial);
        }
        var lost = admitted.Where(s => results[s] is null).ToArray();
        if (lost.Length > 0 && !Stopped)
            StopReason = string.Create(CultureInfo.InvariantCulture,
                $"MaxTime ({_options.MaxTime}) ran out after {Elapsed.TotalSeconds:0.#} s: {string.Join(", ", lost.Select(s => $"trial {indices[s]} ({specs[s].Stage}: {specs[s].Change})"))} did not finish and {(lost.Length == 1 ? "was" : "were")} left out; the search returns the {_trials.Count} trial(s) that finished.");
        return results;
    }

    /// <summary>Runs <paramref name="action"/> (e.g. the learning-rate finder) unless the time is up; null when it is, or when it ran out meanwhile.</summary>
    public T? TryRun<T>(string what, Func<CancellationToken, T> action) where T : class
    {
        if (Stopped)
            return null;
        var token = _options.CancellationToken;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        if (Timed)
        {
            var left = TrialDeadline - Elapsed;
            if (left <= TimeSpan.Zero)
            {
                StopReason = string.Create(CultureInfo.InvariantCulture, $"MaxTime ({_options.MaxTime}) ran out after {Elapsed.TotalSeconds:0.#} s, before {what}; the search returns the {_trials.Count} trial(s) that finished.");
                return null;
            }
            if (left < LongestTimer)
                stop.CancelAfter(left);
        }
        try
        {
            return action(stop.Token);
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            StopReason = string.Create(CultureInfo.InvariantCulture, $"MaxTime ({_options.MaxTime}) ran out during {what}; the search returns the {_trials.Count} trial(s) that finished.");
            return null;
        }
    }

    /// <summary>The specs that may start, in order: within MaxTrials and, once a rate is measured, within the time left.</summary>
    private List<int> Admit(IReadOnlyList<TrialSpec> specs)
    {
        var admitted = new List<int>();
        if (Stopped)
            return admitted;
        double work = 0;
        int jobs = 0;
        for (int s = 0; s < specs.Count; s++)
        {
            var spec = specs[s];
            if (_trials.Count + admitted.Count >= _options.MaxTrials)
            {
                StopReason = string.Create(CultureInfo.InvariantCulture,
                    $"MaxTrials ({_options.MaxTrials}) reached: the search stopped before {spec.Stage} trial '{spec.Change}'.");
                break;
            }
            int specJobs = _plan.FirstRepeats(spec.Repeats).Count() - (spec.Reuse?.Folds.Count ?? 0);
            double specWork = specJobs * EstimateSeconds(spec.Options);
            if (Timed && !double.IsNaN(specWork))
            {
                double wall = (work + specWork) / Math.Max(1, Math.Min(_options.MaxParallelTrials, jobs + specJobs));
                var left = TrialDeadline - Elapsed;
                if (TimeSpan.FromSeconds(wall) > left)
                {
                    StopReason = string.Create(CultureInfo.InvariantCulture,
                        $"MaxTime ({_options.MaxTime}) left {Math.Max(0, left.TotalSeconds):0.#} s after {_trials.Count} trial(s) ({RefitReserveSeconds:0.#} s kept for the refit on all rows), less than {spec.Stage} trial '{spec.Change}' needs (about {wall:0.#} s): the search stopped there.");
                    break;
                }
            }
            admitted.Add(s);
            work += double.IsNaN(specWork) ? 0 : specWork;
            jobs += specJobs;
        }
        return admitted;
    }

    /// <summary>
    /// True when <paramref name="spec"/> would be admitted now: the trial budget allows one more and, once a rate is
    /// measured, its estimated time fits the time left. Unlike <see cref="Run"/>, a spec that does not fit stops nothing.
    /// </summary>
    public bool Fits(TrialSpec spec)
    {
        if (Stopped || _trials.Count >= _options.MaxTrials)
            return false;
        if (!Timed)
            return true;
        int specJobs = _plan.FirstRepeats(spec.Repeats).Count() - (spec.Reuse?.Folds.Count ?? 0);
        double specWork = specJobs * EstimateSeconds(spec.Options);
        if (double.IsNaN(specWork))
            return true;
        double wall = specWork / Math.Max(1, Math.Min(_options.MaxParallelTrials, specJobs));
        return TimeSpan.FromSeconds(wall) <= TrialDeadline - Elapsed;
    }

    /// <summary>True when a fold of these options, started now, is expected to end before the trials' deadline (always true before anything was measured).</summary>
    private bool FitsInTime(DenseNetworkOptions options)
    {
        if (!Timed)
            return true;
        double seconds = EstimateSeconds(options);
        return Elapsed + TimeSpan.FromSeconds(double.IsNaN(seconds) ? 0 : seconds) <= TrialDeadline;
    }

    /// <summary>Seconds one fold of these options takes, from the folds measured so far (work ∝ epochs × (parameters + a fixed cost)); NaN before any.</summary>
    private double EstimateSeconds(DenseNetworkOptions options)
    {
        lock (_gate)
            return _busyUnits == 0 ? double.NaN : _busySeconds / _busyUnits * Units(options, options.Epochs);
    }

    private double Units(DenseNetworkOptions options, int epochs)
    {
        double parameters = 0;
        int previous = _inputSize;
        foreach (int units in options.HiddenLayerSizes ?? DenseNetworkOptions.Defaults.HiddenLayerSizes)
        {
            parameters += (previous + 1.0) * units;
            previous = units;
        }
        parameters += previous + 1.0;
        return epochs * (parameters + FixedCostParameters);
    }

    /// <summary>Adds a fold's duration to the measurements the time estimates are read from (work ∝ epochs trained × size).</summary>
    private void Measured(DenseNetworkOptions options, FoldOutcome outcome)
    {
        lock (_gate)
        {
            _busySeconds += outcome.Duration.TotalSeconds;
            _busyUnits += Units(options, Math.Max(1, outcome.History.Count));
            _largestUnits = Math.Max(_largestUnits, Units(options, options.Epochs));
        }
    }
}
