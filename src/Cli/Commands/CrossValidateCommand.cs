using System.ComponentModel;
using System.Globalization;
using MlNetDeep.Cli.FanOut;
using MlNetDeep.Cli.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetDeep.Cli.Commands;

/// <summary>
/// <c>mlnetdeep crossvalidate</c>: K-fold cross-validation of a dense network on a CSV/TSV file, featurized as
/// <c>train</c> does. The folds run in this process (<c>--parallel W</c> at once), or as a Slurm job array
/// (<c>--slurm</c>: one <c>mlnetdeep worker</c> per fold), or are only planned (<c>--plan-only</c>, for another
/// scheduler; <c>mlnetdeep merge</c> then gathers them). Every way gives the same fold metrics for the same seed.
/// Writes plan.json, folds.json and crossvalidation.md to the output folder.
/// </summary>
internal sealed class CrossValidateCommand(IAnsiConsole console) : Command<CrossValidateCommand.Settings>
{
    public const string PlanFileName = "plan.json";

    public sealed class Settings : LabelledFileSettings
    {
        [CommandOption("--folds <K>")]
        [Description("Number of folds (default 5).")]
        public int Folds { get; init; } = 5;

        [CommandOption("--repeats <P>")]
        [Description("Reshuffled repeats of the K folds (default 1).")]
        public int Repeats { get; init; } = 1;

        [CommandOption("--no-stratify")]
        [Description("Do not stratify the folds (by default classes are balanced; regression is never stratified here).")]
        public bool NoStratify { get; init; }

        [CommandOption("--seed <N>")]
        [Description("Seed of the folds and of every network (default 1).")]
        public int Seed { get; init; } = 1;

        [CommandOption("--hidden <SIZES>")]
        [Description("Hidden layer sizes, comma-separated (default: DenseNetworkOptions' default).")]
        public string? Hidden { get; init; }

        [CommandOption("--epochs <N>")]
        [Description("Epochs per fold (default: DenseNetworkOptions' default).")]
        public int? Epochs { get; init; }

        [CommandOption("--batch-size <N>")]
        [Description("Mini-batch size (default: DenseNetworkOptions' default).")]
        public int? BatchSize { get; init; }

        [CommandOption("--learning-rate <R>")]
        [Description("Learning rate (default: DenseNetworkOptions' default).")]
        public double? LearningRate { get; init; }

        [CommandOption("--dropout <R>")]
        [Description("Dropout rate after each hidden layer (default 0).")]
        public double Dropout { get; init; }

        [CommandOption("--threads <N>")]
        [Description("libtorch threads per fold (default 1); a Slurm task asks for this many CPUs.")]
        public int Threads { get; init; } = 1;

        [CommandOption("--parallel <W>")]
        [Description("Folds trained at once in this process (default 1).")]
        public int Parallel { get; init; } = 1;

        [CommandOption("--slurm")]
        [Description("Run the folds as a Slurm job array (sbatch --array), wait, and merge; the workers read --data at the same path.")]
        public bool Slurm { get; init; }

        [CommandOption("--plan-only")]
        [Description("Write plan.json (and the Slurm script) and stop: run 'mlnetdeep worker' per task, then 'mlnetdeep merge'.")]
        public bool PlanOnly { get; init; }

        [CommandOption("--sbatch-arg <ARG>")]
        [Description("An extra sbatch argument (repeatable), e.g. --sbatch-arg=--partition=cpu.")]
        public string[] SbatchArguments { get; init; } = Array.Empty<string>();

        [CommandOption("--worker-command <CMD>")]
        [Description("How compute nodes start this tool, words separated by spaces (default: the running tool).")]
        public string? WorkerCommand { get; init; }

        [CommandOption("--timeout <SPAN>")]
        [Description("Longest wait for the Slurm job, e.g. 30m (default 1h); it is cancelled after.")]
        public string Timeout { get; init; } = "1h";

        [CommandOption("--out <DIR>")]
        [Description("Output folder (default ./mlnetdeep-cv); with --slurm it must be shared with the compute nodes.")]
        public string Out { get; init; } = "mlnetdeep-cv";

        public override ValidationResult Validate()
        {
            var errors = FileErrors().ToList();
            if (Folds < 2)
                errors.Add($"--folds must be at least 2; received {Folds}.");
            if (Repeats < 1)
                errors.Add($"--repeats must be at least 1; received {Repeats}.");
            if (Threads < 1)
                errors.Add($"--threads must be at least 1; received {Threads}.");
            if (Parallel < 1)
                errors.Add($"--parallel must be at least 1; received {Parallel}.");
            if (Slurm && PlanOnly)
                errors.Add("--slurm and --plan-only exclude each other.");
            if (Hidden is not null && !TryParseSizes(Hidden, out _))
                errors.Add($"--hidden must be positive integers separated by commas, e.g. 64,32; received '{Hidden}'.");
            if (!TimeBudget.TryParse(Timeout, out _))
                errors.Add($"--timeout must be a duration such as 30s, 5m or 1h; received '{Timeout}'.");
            return errors.Count == 0 ? ValidationResult.Success() : ValidationResult.Error(string.Join(" ", errors));
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var defaults = new TrainerSettings();
        TryParseSizes(settings.Hidden, out var sizes);
        var trainer = defaults with
        {
            HiddenLayerSizes = sizes ?? defaults.HiddenLayerSizes,
            Epochs = settings.Epochs ?? defaults.Epochs,
            BatchSize = settings.BatchSize ?? defaults.BatchSize,
            LearningRate = settings.LearningRate ?? defaults.LearningRate,
            DropoutRate = settings.Dropout,
            Seed = settings.Seed,
            NumberOfThreads = settings.Threads,
        };
        var plan = FoldFanOut.CreatePlan(settings.Data, settings.Label, settings.RequestedTask, settings.Ignore, settings.Folds, settings.Repeats,
            settings.NoStratify ? false : null, settings.Seed, trainer, settings.Out);
        Directory.CreateDirectory(plan.OutputDirectory);
        string planPath = Path.Combine(plan.OutputDirectory, PlanFileName);
        plan.Write(planPath);
        console.MarkupLineInterpolated($"{plan.Task} on '{plan.Label}': {plan.NumberOfRepeats} × {plan.NumberOfFolds} folds of {plan.Assignments[0].Length} rows, seed {plan.Seed}; plan {planPath}");

        var worker = settings.WorkerCommand?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? SlurmDriver.CurrentTool();
        CrossValidationOutcome outcome;
        if (settings.PlanOnly)
        {
            string script = SlurmDriver.WriteScript(plan, planPath, worker);
            console.MarkupLineInterpolated($"planned {plan.TaskCount} task(s). Slurm: sbatch {script}. Elsewhere: run '{string.Join(' ', worker)} worker --plan {planPath} --task N' for N = 0 … {plan.TaskCount - 1}, then 'mlnetdeep merge --plan {planPath}'.");
            return 0;
        }
        if (settings.Slurm)
        {
            TimeBudget.TryParse(settings.Timeout, out var timeout);
            outcome = SlurmDriver.Run(plan, planPath, worker, settings.SbatchArguments, timeout, m => console.MarkupLineInterpolated($"{m}"), cancellationToken);
        }
        else
        {
            outcome = FoldFanOut.RunLocal(plan, settings.Parallel, new SynchronousProgress<OperationProgress>(p => console.MarkupLineInterpolated($"{p.Completed}/{p.Total} {p.Step}")));
        }
        outcome.Write(plan.OutputDirectory);
        console.WriteLine(outcome.Text);
        console.MarkupLineInterpolated($"wrote {Path.Combine(plan.OutputDirectory, CrossValidationOutcome.FoldsFileName)} and {CrossValidationOutcome.MarkdownFileName}");
        return 0;
    }

    private static bool TryParseSizes(string? text, out int[]? sizes)
    {
        sizes = null;
        if (text is null)
            return true;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var parsed = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out parsed[i]) || parsed[i] < 1)
                return false;
        }
        sizes = parsed;
        return true;
    }
}
