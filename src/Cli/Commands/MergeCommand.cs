using System.ComponentModel;
using MlNetDeep.Cli.FanOut;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetDeep.Cli.Commands;

/// <summary>
/// <c>mlnetdeep merge --plan plan.json</c>: gathers the results the workers of a plan wrote (after a job array of
/// another scheduler, e.g. a Kubernetes Indexed Job) into the cross-validation summary; writes folds.json and
/// crossvalidation.md beside the plan's results. Tasks without a result count as failed folds.
/// </summary>
internal sealed class MergeCommand(IAnsiConsole console) : Command<MergeCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--plan <FILE>")]
        [Description("The plan.json the workers ran.")]
        public string Plan { get; init; } = "";

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Plan) ? ValidationResult.Error("--plan FILE is required.") : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var plan = FanOutPlan.Read(settings.Plan);
        var outcome = FoldFanOut.Merge(plan);
        outcome.Write(plan.OutputDirectory);
        console.WriteLine(outcome.Text);
        console.MarkupLineInterpolated($"wrote {Path.Combine(plan.OutputDirectory, CrossValidationOutcome.FoldsFileName)} and {CrossValidationOutcome.MarkdownFileName}");
        return 0;
    }
}
