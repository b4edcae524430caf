using System.Diagnostics;
using System.Globalization;

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
        string script = Slurm.Script("mlnetdeep-cv", plan.TaskCount, null, plan.Trainer.NumberOfThreads, logs,
            workerCommand.Concat(new[] { "worker", "--plan", Path.GetFullPath(planPath) }),
            "one fold per array task; the worker reads its task number from SLURM_ARRAY_TASK_ID");
        Directory.CreateDirectory(logs);
        string path = Path.Combine(plan.OutputDirectory, ScriptFileName);
        File.WriteAllText(path, script);
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
        string jobId = Slurm.Submit(script, sbatchArguments);
        log($"submitted job array {jobId}: {plan.TaskCount} task(s), script {script}");
        var clock = Stopwatch.StartNew();
        try
        {
            while (Slurm.Pending(jobId))
            {
                if (clock.Elapsed > timeout)
                    throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"Slurm job {jobId} did not finish within {timeout}; it was cancelled."));
                cancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            Slurm.Cancel(jobId);
            throw;
        }
        log(string.Create(CultureInfo.InvariantCulture, $"job {jobId} finished after {clock.Elapsed.TotalSeconds:F0} s; merging"));
        string logs = Path.Combine(plan.OutputDirectory, "logs");
        return FoldFanOut.Merge(plan, task => $"see its log {Path.Combine(logs, string.Create(CultureInfo.InvariantCulture, $"task-{task}.log"))}");
    }
}
