using Spectre.Console.Cli;

namespace MlNetDeep.Cli.Commands;

/// <summary>
/// <c>mlnetdeep lab ...</c> in the help: the lecture's experiments. <see cref="CliApp.Run"/> hands <c>lab</c>'s
/// arguments to the lab's command line before Spectre parses them; this command only runs for a bare <c>lab</c>.
/// </summary>
internal sealed class LabCommand : Command
{
    public override int Execute(CommandContext context, CancellationToken cancellationToken) =>
        MlNetDeep.Samples.Cli.SamplesApp.Run(Array.Empty<string>(), Console.Out, Console.Error, interactive: !Console.IsOutputRedirected, cancellationToken: cancellationToken, applicationName: "mlnetdeep lab");
}
