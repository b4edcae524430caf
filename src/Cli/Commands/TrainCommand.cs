using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Cli.Data;
using MlNetDeep.Cli.FanOut;
using MlNetDeep.Cli.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetDeep.Cli.Commands;

/// <summary>
/// <c>mlnetdeep train</c>: infers the columns and the task, holds out a test split, finds a learning rate, trains a
/// dense network with early stopping inside the time budget, diagnoses the run, and writes model.zip, a Markdown report
/// and its plots to the output folder. With <c>--slurm</c> the search's folds train as Slurm job arrays, one per batch
/// of trials (the learning-rate range test and the final refit run here), and the result is the one a local run gives.
/// </summary>
internal sealed class TrainCommand(IAnsiConsole console) : Command<TrainCommand.Settings>
{
    /// <summary>With --slurm, the folder under --out holding the search's rows and every batch's plan, logs and results.</summary>
    public const string SearchFolderName = "search";

    public sealed class Settings : LabelledFileSettings
    {
        [CommandOption("--time <SPAN>")]
        [Description("Training time budget, e.g. 30s, 5m, 1h (default 5m).")]
        public string Time { get; init; } = "5m";

        [CommandOption("--out <DIR>")]
        [Description("Output folder for model.zip, report.md and the plots (default ./mlnetdeep-model).")]
        public string Out { get; init; } = "mlnetdeep-model";

        [CommandOption("--seed <N>")]
        [Description("Seed of the split, the shuffling and the network (default 1).")]
        public int Seed { get; init; } = 1;

        [CommandOption("--test-fraction <F>")]
        [Description("Share of the rows held out to test the final model (default 0.2).")]
        public double TestFraction { get; init; } = 0.2;

        [CommandOption("--max-trials <N>")]
        [Description("The most trials the search runs (default: DenseNetworkTuningOptions' default, 30).")]
        public int? MaxTrials { get; init; }

        [CommandOption("--folds <K>")]
        [Description("Folds every trial is cross-validated on (default: DenseNetworkTuningOptions' default, 5).")]
        public int? Folds { get; init; }

        [CommandOption("--epochs <N>")]
        [Description("Epochs of a trial at full budget (default: the search's default, 20).")]
        public int? Epochs { get; init; }

        [CommandOption("--parallel <W>")]
        [Description("Networks trained at once: threads here, or with --slurm the array tasks running at once (default: the core count).")]
        public int? Parallel { get; init; }

        [CommandOption("--slurm")]
        [Description("Train the folds of each batch of trials as a Slurm job array (sbatch --array), in the output folder, which the nodes must share.")]
        public bool Slurm { get; init; }

        [CommandOption("--sbatch-arg <ARG>")]
        [Description("With --slurm: an extra sbatch argument (repeatable), e.g. --sbatch-arg=--partition=cpu.")]
        public string[] SbatchArguments { get; init; } = Array.Empty<string>();

        [CommandOption("--worker-command <CMD>")]
        [Description("With --slurm: how compute nodes start this tool, words separated by spaces (default: the running tool).")]
        public string? WorkerCommand { get; init; }

        public override ValidationResult Validate()
        {
            if (FileErrors().FirstOrDefault() is { } error)
                return ValidationResult.Error(error);
            if (!TimeBudget.TryParse(Time, out _))
                return ValidationResult.Error($"--time must be a duration such as 30s, 5m or 1h; received '{Time}'.");
            if (!(TestFraction is > 0 and < 1))
                return ValidationResult.Error($"--test-fraction must be between 0 and 1; received {TestFraction.ToString(CultureInfo.InvariantCulture)}.");
            var errors = new List<string>();
            if (MaxTrials < 1)
                errors.Add($"--max-trials must be at least 1; received {MaxTrials}.");
            if (Folds < 2)
                errors.Add($"--folds must be at least 2; received {Folds}.");
            if (Epochs < 1)
                errors.Add($"--epochs must be at least 1; received {Epochs}.");
            if (Parallel < 1)
                errors.Add($"--parallel must be at least 1; received {Parallel}.");
            if (Slurm && Path.GetFullPath(Out).Any(char.IsWhiteSpace))
                errors.Add($"--out '{Out}' contains whitespace, which a Slurm job script's #SBATCH --output line cannot hold; choose a folder without spaces.");
            if (!Slurm && (SbatchArguments.Length > 0 || WorkerCommand is not null))
                errors.Add("--sbatch-arg and --worker-command apply to --slurm only.");
            return errors.Count == 0 ? ValidationResult.Success() : ValidationResult.Error(string.Join(" ", errors));
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        TimeBudget.TryParse(settings.Time, out var budget);
        var clock = Stopwatch.StartNew();
        var file = TabularFile.Inspect(settings.Data);
        var plan = TrainingPlan.Create(file, settings.Label, settings.RequestedTask, settings.Ignore);
        console.MarkupLineInterpolated($"[bold]{plan.Task}[/] on '{settings.Label}' ({(settings.Task is null ? "inferred" : "given")}), {plan.Features.Count} feature column(s), separator '{(file.Separator == '\t' ? "\\t" : file.Separator.ToString())}'{(plan.PositiveClass is null ? "" : $", positive class '{plan.PositiveClass}'")}");

        var ml = new MLContext(settings.Seed);
        var all = file.CreateLoader(ml).Load(file.Path);
        var split = ml.Data.TrainTestSplit(all, settings.TestFraction, seed: settings.Seed);
        var featurizer = plan.Featurize(ml).Fit(split.TrainSet);
        // Keras takes validation rows from the end: shuffle first so a file sorted by label still validates fairly
        var train = ml.Data.Cache(ml.Data.ShuffleRows(featurizer.Transform(split.TrainSet), seed: settings.Seed));

        var remaining = budget - clock.Elapsed - TimeSpan.FromSeconds(Math.Min(10, budget.TotalSeconds / 10)); // leave time to save
        var tuning = new DenseNetworkTuningOptions
        {
            Seed = settings.Seed,
            MaxTime = remaining > TimeSpan.FromSeconds(1) ? remaining : TimeSpan.FromSeconds(1),
            CancellationToken = cancellationToken,
        };
        if (settings.MaxTrials is int maxTrials)
            tuning.MaxTrials = maxTrials;
        if (settings.Folds is int folds)
            tuning.NumberOfFolds = folds;
        if (settings.Epochs is int epochs)
            tuning.BaseOptions = new DenseNetworkOptions { Epochs = epochs };
        if (settings.Parallel is int parallel)
            tuning.MaxParallelTrials = parallel;
        if (settings.Slurm)
        {
            var worker = settings.WorkerCommand?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? SlurmDriver.CurrentTool();
            var jobArray = new SlurmJobArray(worker, settings.SbatchArguments, m => console.MarkupLineInterpolated($"{m}"));
            string folder = Path.Combine(Path.GetFullPath(settings.Out), SearchFolderName);
            SearchFanOut.Use(tuning, jobArray, folder, m => console.MarkupLineInterpolated($"{m}"));
            console.MarkupLineInterpolated($"the folds of each batch of trials run as a Slurm job array; files in {folder}");
        }
        var result = TrialProgress.Run(console, tuning, () => Trainers.Tune(ml, plan.Task, tuning, train));
        ITransformer network = result.BestModel;
        var history = result.BestTrial.MeanHistory;
        var finder = result.LearningRateFinder;
        console.MarkupLineInterpolated($"{result.Trials.Count} trial(s) in {result.Elapsed.TotalSeconds:F0} s; best: trial {result.BestTrial.Index} ({result.BestTrial.Stage}: {result.BestTrial.Change}), {result.MetricName} {result.BestTrial.Metric.Mean:G4} (constant prediction {result.BaselineMetric.Mean:G4})");

        ITransformer model = featurizer.Append(network);
        if (plan.Task == TaskKind.Multiclass)
            model = model.Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel").Fit(model.Transform(split.TrainSet)));
        else if (plan.Task == TaskKind.Binary && plan.PositiveClass is not null)
            model = model.Append(ml.Transforms.Conversion.MapValue("PredictedClass", plan.Label.DistinctValues.Take(2)
                .Select(v => new KeyValuePair<bool, string>(v == plan.PositiveClass, v)), "PredictedLabel").Fit(model.Transform(split.TrainSet)));
        var metrics = Trainers.Evaluate(ml, plan.Task, model.Transform(split.TestSet));
        var diagnosis = result.BestTrial.Diagnosis;

        Directory.CreateDirectory(settings.Out);
        string zip = Path.Combine(settings.Out, "model.zip");
        ml.Model.Save(model, all.Schema, zip);
        LearningCurvePlot.ForHistory(history).AddDiagnosis(history, diagnosis).SavePng(Path.Combine(settings.Out, "learning-curve.png"));
        if (finder is not null)
            LearningCurvePlot.ForLearningRateFinder(finder).SavePng(Path.Combine(settings.Out, "learning-rate.png"));
        File.WriteAllText(Path.Combine(settings.Out, "report.md"), Report(settings, plan, result, diagnosis, metrics, clock.Elapsed));
        File.WriteAllText(Path.Combine(settings.Out, "TrainedModel.cs"), ConsumptionCode.Generate(plan));

        var table = new Table().AddColumn("test metric").AddColumn(new TableColumn("value").RightAligned());
        foreach (var (name, value) in metrics)
            table.AddRow(name, value.ToString("0.0000", CultureInfo.InvariantCulture));
        console.Write(table);
        console.MarkupLineInterpolated($"best trial: [bold]{diagnosis.Verdict}[/]{(diagnosis.OverfittingEpoch is int k ? $" (overfitting from epoch {k})" : "")}");
        foreach (var advice in diagnosis.Advice)
            console.MarkupLineInterpolated($"  → {advice}");
        console.MarkupLineInterpolated($"wrote {zip}, report.md, TrainedModel.cs (ModelInput, ModelOutput, Predict) and the plots in {clock.Elapsed.TotalSeconds:F0} s; next: mlnetdeep predict --model {zip} --data FILE");
        return 0;
    }

    private static string Report(Settings settings, TrainingPlan plan, DenseNetworkTuningResult result, FitDiagnosis diagnosis,
        IReadOnlyList<(string Name, double Value)> metrics, TimeSpan elapsed)
    {
        var sb = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        sb.AppendLine(c, $"# {plan.Task} model for '{settings.Label}'").AppendLine();
        sb.AppendLine(c, $"Data: `{settings.Data}` ({plan.File.SampledRows} rows sampled to infer the columns); {settings.TestFraction:P0} held out for the test metrics; seed {settings.Seed}; {elapsed.TotalSeconds:F0} s.");
        if (plan.PositiveClass is not null)
            sb.AppendLine(c, $"Positive class: `{plan.PositiveClass}` (the larger number, or the rarer of two strings).");
        sb.AppendLine().AppendLine("| column | used as | distinct values | examples |").AppendLine("|---|---|---|---|");
        foreach (var row in plan.DescribeColumns())
            sb.AppendLine(row);
        sb.AppendLine().AppendLine("## Test metrics (rows the search never saw)").AppendLine().AppendLine("| metric | value |").AppendLine("|---|---|");
        foreach (var (name, value) in metrics)
            sb.AppendLine(c, $"| {name} | {value:0.0000} |");
        sb.AppendLine().AppendLine("## The search").AppendLine().AppendLine(result.ToMarkdown());
        if (result.LearningRateFinder is { } finder)
            sb.AppendLine().AppendLine(c, $"Learning-rate range test: {finder}").AppendLine().AppendLine("![learning-rate range test](learning-rate.png)");
        sb.AppendLine().AppendLine("## The chosen trial's learning curve (mean of its folds)").AppendLine().AppendLine("![learning curve](learning-curve.png)");
        sb.AppendLine().AppendLine("## Diagnosis of the chosen trial").AppendLine().AppendLine("```").AppendLine(diagnosis.ToString()).AppendLine("```");
        sb.AppendLine().AppendLine("## Use it").AppendLine().AppendLine("`TrainedModel.cs` holds `ModelInput`, `ModelOutput` and `TrainedModel.Predict`, Model Builder-style; `mlnetdeep predict --model model.zip --data FILE` scores a file.");
        return sb.ToString();
    }
}
