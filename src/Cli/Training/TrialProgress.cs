using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace MlNetDeep.Cli.Training;

/// <summary>
/// Shows a tuning search as it runs: on a terminal, a Spectre bar over the time budget with the elapsed time and the
/// ETA (the search ends at the budget or after <see cref="DenseNetworkTuningOptions.MaxTrials"/>, whichever comes
/// first), its description the latest trial; when redirected (CI logs), one plain line per trial.
/// </summary>
internal static class TrialProgress
{
    public static DenseNetworkTuningResult Run(IAnsiConsole console, DenseNetworkTuningOptions tuning, Func<DenseNetworkTuningResult> tune)
    {
        var started = Stopwatch.StartNew();
        int done = 0;
        if (!console.Profile.Capabilities.Interactive)
        {
            tuning.Progress = new SynchronousProgress<DenseNetworkTrial>(t =>
                console.WriteLine(Line(t, Interlocked.Increment(ref done), tuning, started.Elapsed)));
            return tune();
        }

        DenseNetworkTuningResult result = null!;
        console.Progress().AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                var bar = progress.AddTask("searching", maxValue: Math.Max(1, tuning.MaxTime.TotalSeconds));
                tuning.Progress = new SynchronousProgress<DenseNetworkTrial>(t =>
                {
                    Interlocked.Increment(ref done);
                    bar.Value = Math.Min(bar.MaxValue, started.Elapsed.TotalSeconds);
                    bar.Description = Markup.Escape(Describe(t)); // option text has [brackets]
                });
                result = tune();
                bar.Value = bar.MaxValue;
            });
        return result;
    }

    private static string Describe(DenseNetworkTrial t) =>
        string.Create(CultureInfo.InvariantCulture, $"trial {t.Index} ({t.Stage}: {t.Change}): {t.Metric.Mean:G4}, {t.Diagnosis.Verdict}");

    /// <summary>"trial 3 (Architecture: 64-64): 0.8123, GoodFit; 3/30 trials, 12 s of 4 min 50 s".</summary>
    internal static string Line(DenseNetworkTrial trial, int done, DenseNetworkTuningOptions tuning, TimeSpan elapsed) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Describe(trial)}; {done}/{tuning.MaxTrials} trials, {elapsed.TotalSeconds:F0} s of {tuning.MaxTime.TotalSeconds:F0} s");
}
