using System.ComponentModel;
using MlNetDeep.Cli.Training;
using Spectre.Console.Cli;

namespace MlNetDeep.Cli.Commands;

/// <summary>The options of the commands that learn from a labelled CSV/TSV file (<c>train</c>, <c>crossvalidate</c>): the file, the label, the task and the columns to leave out.</summary>
internal abstract class LabelledFileSettings : CommandSettings
{
    [CommandOption("--data <FILE>")]
    [Description("A CSV or TSV file with a header row (the separator is detected).")]
    public string Data { get; init; } = "";

    [CommandOption("--label <COLUMN>")]
    [Description("The column to predict.")]
    public string Label { get; init; } = "";

    [CommandOption("--task <TASK>")]
    [Description("binary, multiclass or regression; inferred from the label column when omitted.")]
    public string? Task { get; init; }

    [CommandOption("--ignore <COLUMN>")]
    [Description("A column not to use as a feature (repeatable), e.g. an id.")]
    public string[] Ignore { get; init; } = Array.Empty<string>();

    /// <summary>The task <c>--task</c> asks for; null to infer it from the label column.</summary>
    public TaskKind? RequestedTask => Task is null ? null : Enum.Parse<TaskKind>(Task, ignoreCase: true);

    /// <summary>What is wrong with <c>--data</c>, <c>--label</c> and <c>--task</c>, in that order (empty when nothing is).</summary>
    protected IEnumerable<string> FileErrors()
    {
        if (string.IsNullOrWhiteSpace(Data))
            yield return "--data FILE is required.";
        if (string.IsNullOrWhiteSpace(Label))
            yield return "--label COLUMN is required.";
        if (Task is not (null or "binary" or "multiclass" or "regression"))
            yield return $"--task must be binary, multiclass or regression; received '{Task}'.";
    }
}
