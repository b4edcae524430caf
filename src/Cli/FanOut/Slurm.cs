using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace MlNetDeep.Cli.FanOut;

/// <summary>
/// Slurm's client commands as the drivers use them: a job-array batch script, <c>sbatch</c>, <c>squeue</c> and
/// <c>scancel</c>. They must be on PATH and reach the cluster (SLURM_CONF, as usual).
/// </summary>
internal static class Slurm
{
    /// <summary>
    /// A batch script whose array tasks 0 … <paramref name="taskCount"/>−1 (at most <paramref name="maxParallel"/> at
    /// once when given) each run <paramref name="command"/>, logging to <paramref name="logs"/>/task-N.log.
    /// </summary>
    /// <exception cref="ArgumentException">The log folder's path contains whitespace.</exception>
    public static string Script(string jobName, int taskCount, int? maxParallel, int cpusPerTask, string logs, IEnumerable<string> command, string comment)
    {
        if (logs.Any(char.IsWhiteSpace))
            throw new ArgumentException($"The output folder '{Path.GetDirectoryName(logs)}' contains whitespace, which the job script's #SBATCH --output line cannot hold; choose a folder without spaces.");
        var c = CultureInfo.InvariantCulture;
        var script = new StringBuilder();
        script.Append("#!/bin/bash\n");
        script.Append(c, $"#SBATCH --job-name={jobName}\n");
        script.Append(c, $"#SBATCH --array=0-{taskCount - 1}{(maxParallel is int w && w < taskCount ? "%" + w.ToString(c) : "")}\n");
        script.Append(c, $"#SBATCH --cpus-per-task={cpusPerTask}\n");
        script.Append(c, $"#SBATCH --output={logs}/task-%a.log\n");
        script.Append("# ").Append(comment).Append('\n');
        script.Append("exec ").Append(string.Join(' ', command.Select(Quote))).Append('\n');
        return script.ToString();
    }

    /// <summary>Submits a batch script; returns the job's id.</summary>
    /// <exception cref="InvalidOperationException">sbatch is missing or refused the job.</exception>
    public static string Submit(string script, IEnumerable<string> sbatchArguments)
    {
        var submit = Execute("sbatch", new[] { "--parsable" }.Concat(sbatchArguments).Append(script).ToArray());
        if (submit.ExitCode != 0)
            throw new InvalidOperationException($"sbatch refused the job (exit {submit.ExitCode}): {submit.Error.Trim()}");
        return submit.Output.Trim().Split(';')[0];
    }

    /// <summary>True while squeue lists any task of the job (a job squeue no longer knows has ended).</summary>
    /// <exception cref="InvalidOperationException">squeue failed.</exception>
    public static bool Pending(string jobId)
    {
        var queue = Execute("squeue", new[] { "--noheader", "--jobs", jobId, "--format", "%i %t" });
        if (queue.ExitCode != 0)
        {
            if (queue.Error.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase))
                return false;
            throw new InvalidOperationException($"squeue failed (exit {queue.ExitCode}): {queue.Error.Trim()}");
        }
        return queue.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length > 0;
    }

    /// <summary>Cancels every task of the job (running or waiting).</summary>
    public static void Cancel(string jobId) => Execute("scancel", new[] { jobId });

    private static (int ExitCode, string Output, string Error) Execute(string file, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output, error.Result);
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"'{file}' could not be run ({ex.Message}): Slurm's client commands must be on PATH.", ex);
        }
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
