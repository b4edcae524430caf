using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace MlNetDeep.Cli.FanOut;

/// <summary>
/// Runs a plan's folds as a Slurm job array: writes a batch script whose task i runs <c>mlnetdeep worker --plan P</c>
/// (the task from <c>SLURM_ARRAY_TASK_ID</c>), submits it with <c>sbatch --array=0-(n−1)</c>, waits until
/// <c>squeue</c> no longer lists the job, and merges the results. Cancelling or timing out cancels the job
/// (<c>scancel</c>). Slurm's client commands must be on PATH and reach the cluster (SLURM_CONF, as usual).
/// </summary>
internal static class SlurmDriver
{
    public const string ScriptFileName = "job.sh";

    /// <summary>The command that runs this tool: its apphost, or <c>dotnet mlnetdeep.dll</c>.</summary>
    public static IReadOnlyList<string> CurrentTool()
    {
        string process = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(process) == "mlnetdeep"
            ? new[] { process }
            : new[] { process, typeof(SlurmDriver).Assembly.Location };
    }

    /// <summary>Writes the batch script for <paramref name="planPath"/> and returns its path.</summary>
    /// <exception cref="ArgumentException">The output folder's path contains whitespace.</exception>
    public static string WriteScript(FanOutPlan plan, string planPath, IReadOnlyList<string> workerCommand)
    {
        string logs = Path.Combine(plan.OutputDirectory, "logs");
        if (logs.Any(char.IsWhiteSpace))
            throw new ArgumentException($"The output folder '{plan.OutputDirectory}' contains whitespace, which the job script's #SBATCH --output line cannot hold; choose a folder without spaces.");
        Directory.CreateDirectory(logs);
        var script = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        script.Append("#!/bin/bash\n");
        script.Append(c, $"#SBATCH --job-name=mlnetdeep-cv\n");
        script.Append(c, $"#SBATCH --array=0-{plan.TaskCount - 1}\n");
        script.Append(c, $"#SBATCH --cpus-per-task={plan.Trainer.NumberOfThreads}\n");
        script.Append(c, $"#SBATCH --output={logs}/task-%a.log\n");
        script.Append("# one fold per array task; the worker reads its task number from SLURM_ARRAY_TASK_ID\n");
        script.Append("exec ").Append(string.Join(' ', workerCommand.Concat(new[] { "worker", "--plan", Path.GetFullPath(planPath) }).Select(Quote))).Append('\n');
        string path = Path.Combine(plan.OutputDirectory, ScriptFileName);
        File.WriteAllText(path, script.ToString());
        return path;
    }

    /// <summary>Submits the plan's job array, waits for it and merges its results.</summary>
    /// <exception cref="InvalidOperationException">sbatch is missing or refused the job.</exception>
    /// <exception cref="TimeoutException">The job did not finish within <paramref name="timeout"/> (it is cancelled).</exception>
    /// <exception cref="OperationCanceledException">Cancelled (the job is cancelled too).</exception>
    public static CrossValidationOutcome Run(FanOutPlan plan, string planPath, IReadOnlyList<string> workerCommand,
        IReadOnlyList<string> sbatchArguments, TimeSpan timeout, Action<string> log, CancellationToken cancellationToken)
    {
        string script = WriteScript(plan, planPath, workerCommand);
        var submit = Execute("sbatch", new[] { "--parsable" }.Concat(sbatchArguments).Append(script).ToArray());
        if (submit.ExitCode != 0)
            throw new InvalidOperationException($"sbatch refused the job (exit {submit.ExitCode}): {submit.Error.Trim()}");
        string jobId = submit.Output.Trim().Split(';')[0];
        log($"submitted job array {jobId}: {plan.TaskCount} task(s), script {script}");
        var clock = Stopwatch.StartNew();
        try
        {
            while (Pending(jobId))
            {
                if (clock.Elapsed > timeout)
                    throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"Slurm job {jobId} did not finish within {timeout}; it was cancelled."));
                cancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            Execute("scancel", new[] { jobId });
            throw;
        }
        log(string.Create(CultureInfo.InvariantCulture, $"job {jobId} finished after {clock.Elapsed.TotalSeconds:F0} s; merging"));
        string logs = Path.Combine(plan.OutputDirectory, "logs");
        return FoldFanOut.Merge(plan, task => $"see its log {Path.Combine(logs, string.Create(CultureInfo.InvariantCulture, $"task-{task}.log"))}");
    }

    /// <summary>True while squeue lists any task of the job (a job squeue no longer knows has ended).</summary>
    private static bool Pending(string jobId)
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
