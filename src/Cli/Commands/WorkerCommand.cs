using System.ComponentModel;
using System.Globalization;
using MlNetDeep.Cli.FanOut;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetDeep.Cli.Commands;

/// <summary>
/// <c>mlnetdeep worker --plan plan.json [--task N]</c>: runs one fold of a cross-validation plan (written by
/// <c>mlnetdeep crossvalidate --slurm</c> or <c>--plan-only</c>) and writes its model.zip and result.json, or one fold
/// of one trial of a search batch (batch.json, written by <c>mlnetdeep train --slurm</c>) and writes its result.json. The task
/// comes from <c>--task</c>, else from the variable named by <c>--task-variable</c>, else from
/// <c>SLURM_ARRAY_TASK_ID</c> (Slurm job arrays) or <c>JOB_COMPLETION_INDEX</c> (Kubernetes Indexed Jobs).
/// Exit code 0 when the fold trained, 1 when it failed (its result.json says why), 2 for a bad plan or task.
/// </summary>
internal sealed class WorkerCommand(IAnsiConsole console) : Command<WorkerCommand.Settings>
{
    /// <summary>The job-array index variables read when neither --task nor --task-variable is given, in this order.</summary>
    public static readonly string[] IndexVariables = { "SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX" };

    public sealed class Settings : CommandSettings
    {
        [CommandOption("--plan <FILE>")]
        [Description("The plan.json written by 'mlnetdeep crossvalidate', or a batch.json of 'mlnetdeep train --slurm'.")]
        public string Plan { get; init; } = "";

        [CommandOption("--task <N>")]
        [Description("The task (fold) to run, 0-based; default: $SLURM_ARRAY_TASK_ID or $JOB_COMPLETION_INDEX.")]
        public int? Task { get; init; }

        [CommandOption("--task-variable <NAME>")]
        [Description("Read the task from this environment variable instead (another scheduler's array index, e.g. PBS_ARRAY_INDEX).")]
        public string? TaskVariable { get; init; }

        [CommandOption("--task-base <B>")]
        [Description("The index of the first task in that variable: 0 (Slurm, Kubernetes) or 1 (SGE_TASK_ID, LSB_JOBINDEX). Default 0.")]
        public int TaskBase { get; init; }

        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Plan))
                return ValidationResult.Error("--plan FILE is required.");
            if (TaskBase is not (0 or 1))
                return ValidationResult.Error($"--task-base must be 0 or 1; received {TaskBase}.");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (FanOutFiles.Format(settings.Plan) == TuningBatchPlan.CurrentFormat)
            return RunSearchTask(settings);
        var plan = FanOutPlan.Read(settings.Plan);
        int task = ResolveTask(settings, Environment.GetEnvironmentVariable);
        console.MarkupLineInterpolated($"task {task} of {plan.TaskCount}: repeat {task / plan.NumberOfFolds + 1}, fold {task % plan.NumberOfFolds + 1} of '{plan.DataFile}' on {Environment.MachineName}");
        var result = FoldFanOut.RunTask(plan, task);
        if (!result.Succeeded)
        {
            console.MarkupLineInterpolated($"[red]fold failed:[/] {result.Error}");
            return 1;
        }
        console.MarkupLineInterpolated($"done in {result.Seconds:F1} s: {string.Join(", ", result.MetricValues.Take(3).Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key} {m.Value:0.0000}")))}; wrote {plan.TaskDirectory(task)}");
        return 0;
    }

    /// <summary>One fold of one trial of a search batch.</summary>
    private int RunSearchTask(Settings settings)
    {
        var batch = TuningBatchPlan.Read(settings.Plan);
        int task = ResolveTask(settings, Environment.GetEnvironmentVariable);
        var job = TuningWorker.Job(batch, task);
        console.MarkupLineInterpolated($"search task {task} of {batch.Jobs.Count}: repeat {job.Repeat + 1}, fold {job.Fold + 1}, HiddenLayerSizes [[{string.Join(", ", job.Options.HiddenLayerSizes ?? Array.Empty<int>())}]], {job.Options.Epochs} epochs on {Environment.MachineName}");
        var result = TuningWorker.RunTask(batch, task);
        if (result.Outcome is not { } outcome)
        {
            console.MarkupLineInterpolated($"[red]fold failed:[/] {result.Error}");
            return 1;
        }
        console.MarkupLineInterpolated($"done in {result.Seconds:F1} s: held-out loss {outcome.Loss.ToString("G6", CultureInfo.InvariantCulture)}, {outcome.Epochs.Count} epoch(s); wrote {batch.TaskDirectory(task)}");
        return 0;
    }

    /// <summary>The task number from the settings or the environment.</summary>
    /// <exception cref="ArgumentException">No task given and no index variable set, or a variable that is not an integer.</exception>
    public static int ResolveTask(Settings settings, Func<string, string?> environment)
    {
        if (settings.Task is int given)
            return given;
        var names = settings.TaskVariable is { } named ? new[] { named } : IndexVariables;
        foreach (var name in names)
        {
            string? value = environment(name);
            if (string.IsNullOrWhiteSpace(value))
                continue;
            if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index))
                throw new ArgumentException($"Environment variable {name} must be an integer task index; received '{value}'.");
            return index - settings.TaskBase;
        }
        throw new ArgumentException($"No task: pass --task N, or run inside a job array that sets {string.Join(" or ", names)}.");
    }
}
