using MlNetDeep.Cli.Commands;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetDeep.Cli;

/// <summary>The <c>mlnetdeep</c> command line: train, predict, crossvalidate (worker, merge), lab.</summary>
internal static class CliApp
{
    /// <summary>Exit code of a user error (bad file, bad column, bad option value): the message says what to fix.</summary>
    public const int UserError = 2;

    /// <summary>
    /// Runs one command. <c>lab</c> hands its arguments to the lab's own command line unchanged (experiment names and
    /// its options are not parsed twice); the other commands go through Spectre.Console.Cli.
    /// </summary>
    public static int Run(IAnsiConsole console, IReadOnlyList<string> args, CancellationToken cancellationToken = default)
    {
        if (args.Count > 0 && args[0] == "lab")
            return MlNetDeep.Samples.Cli.SamplesApp.Run(args.Skip(1).ToArray(), Console.Out, Console.Error, interactive: !Console.IsOutputRedirected, cancellationToken: cancellationToken, applicationName: "mlnetdeep lab");
        return Create(console).Run(args, cancellationToken);
    }

    public static CommandApp Create(IAnsiConsole console)
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("mlnetdeep");
            config.ConfigureConsole(console);
            config.AddCommand<TrainCommand>("train")
                .WithDescription("Train a dense network on a CSV/TSV file: infers the task and columns, finds a learning rate, trains with early stopping, diagnoses the run, writes model.zip and a report.")
                .WithExample("train", "--data", "houses.csv", "--label", "price", "--time", "2m");
            config.AddCommand<PredictCommand>("predict")
                .WithDescription("Score a CSV/TSV file with a saved model; writes the predictions as CSV.")
                .WithExample("predict", "--model", "mlnetdeep-model/model.zip", "--data", "new.csv");
            config.AddCommand<CrossValidateCommand>("crossvalidate")
                .WithDescription("K-fold cross-validation of a dense network on a CSV/TSV file: folds in parallel here (--parallel W), as a Slurm job array (--slurm), or planned for another scheduler (--plan-only).")
                .WithExample("crossvalidate", "--data", "houses.csv", "--label", "price", "--folds", "5", "--slurm");
            config.AddCommand<WorkerCommand>("worker")
                .WithDescription("Run one fold of a cross-validation plan (the task from --task, SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX) and write its result.")
                .WithExample("worker", "--plan", "mlnetdeep-cv/plan.json", "--task", "0");
            config.AddCommand<MergeCommand>("merge")
                .WithDescription("Merge the results the workers of a plan wrote into the cross-validation summary.")
                .WithExample("merge", "--plan", "mlnetdeep-cv/plan.json");
            config.AddCommand<LabCommand>("lab")
                .WithDescription("Run the lecture's experiments: mlnetdeep lab list | <experiment> | all [--full]");
            config.SetExceptionHandler((exception, _) =>
            {
                var inner = exception is CommandRuntimeException ? exception : exception.InnerException ?? exception;
                if (inner is OperationCanceledException)
                {
                    console.MarkupLine("[yellow]cancelled[/]");
                    return 130;
                }
                console.MarkupLineInterpolated($"[red]error:[/] {inner.Message}");
                return inner is ArgumentException or FileNotFoundException or InvalidDataException or TimeoutException or CommandParseException or CommandRuntimeException ? UserError : 1;
            });
        });
        return app;
    }
}
