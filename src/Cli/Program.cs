using Spectre.Console;

namespace MlNetDeep.Cli;

/// <summary>Entry point of the <c>mlnetdeep</c> tool; Ctrl+C cancels the running command.</summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        return CliApp.Run(AnsiConsole.Console, args, cancellation.Token);
    }
}
