using System.ComponentModel;
using System.Reflection;
using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Help;
using Spectre.Console.Rendering;

namespace MlNetDeep.Samples.Cli;

/// <summary>
/// Spectre's help, plus on the top-level page the options every experiment takes (read from <see cref="LabSettings"/>'s
/// attributes, so they cannot drift from what is parsed) and the exit codes: the top-level page lists commands only.
/// </summary>
internal sealed class LabHelpProvider(ICommandAppSettings settings) : HelpProvider(settings)
{
    public override IEnumerable<IRenderable> GetFooter(ICommandModel model, ICommandInfo? command)
    {
        foreach (var r in base.GetFooter(model, command))
            yield return r;
        if (command is not null)
            yield break;
        var grid = new Grid().AddColumn(new GridColumn().PadLeft(4).PadRight(4).NoWrap()).AddColumn();
        foreach (var (names, description) in Options())
            grid.AddRow(new Text(names), new Markup(description)); // descriptions are Spectre markup, as on the command pages
        yield return new Markup("[yellow]EXPERIMENT OPTIONS[/] (each experiment, all, make-subset; '<experiment> --help' shows them too):\n");
        yield return grid;
        yield return new Text($"{Environment.NewLine}Exit codes: 0 success, 1 an experiment failed, 2 bad arguments, 4 data missing or unreadable.{Environment.NewLine}");
    }

    /// <summary>"--seed &lt;N&gt;" and its description, for each option of <see cref="LabSettings"/>.</summary>
    internal static IEnumerable<(string Names, string Description)> Options() =>
        from p in typeof(LabSettings).GetProperties()
        let option = p.GetCustomAttribute<CommandOptionAttribute>()
        where option is not null
        select (string.Join(", ", option.LongNames.Select(n => "--" + n)) + (option.ValueName is null ? "" : $" <{option.ValueName}>"),
            p.GetCustomAttribute<DescriptionAttribute>()?.Description ?? "");
}
