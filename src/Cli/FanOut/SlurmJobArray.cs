using System.Globalization;

namespace MlNetDeep.Cli.FanOut;

/// <summary>
/// Runs a search batch as a Slurm job array: writes job.sh beside the batch plan (<c>--array=0-(n−1)%W</c>, so no
/// more tasks run at once than the search's time estimates assume), submits it, polls <c>squeue</c> each second and
/// cancels the job (<c>scancel</c>) when told to stop.
/// </summary>
internal sealed class SlurmJobArray(IReadOnlyList<string> workerCommand, IReadOnlyList<string> sbatchArguments, Action<string> log) : IJobArray
{
    public const string ScriptFileName = "job.sh";

    public void Run(string batchPath, int taskCount, int maxParallel, int cpusPerTask, Func<bool> poll, CancellationToken token)
    {
        string directory = Path.GetDirectoryName(batchPath)!;
        string logs = Path.Combine(directory, "logs");
        string text = Slurm.Script("mlnetdeep-tune", taskCount, maxParallel, cpusPerTask, logs,
            workerCommand.Concat(new[] { "worker", "--plan", batchPath }),
            "one fold of one trial per array task; the worker reads its task number from SLURM_ARRAY_TASK_ID");
        Directory.CreateDirectory(logs);
        string script = Path.Combine(directory, ScriptFileName);
        File.WriteAllText(script, text);
        string jobId = Slurm.Submit(script, sbatchArguments);
        log(string.Create(CultureInfo.InvariantCulture, $"submitted job array {jobId}: {taskCount} fold(s), at most {maxParallel} at once ({script})"));
        while (Slurm.Pending(jobId))
        {
            if (!poll() || token.WaitHandle.WaitOne(TimeSpan.FromSeconds(1)))
            {
                Slurm.Cancel(jobId);
                log($"cancelled job array {jobId}");
                return;
            }
        }
    }

    public string LogOf(string batchPath, int task) =>
        Path.Combine(Path.GetDirectoryName(batchPath)!, "logs", string.Create(CultureInfo.InvariantCulture, $"task-{task}.log"));
}
