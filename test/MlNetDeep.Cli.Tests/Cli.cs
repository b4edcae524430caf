using Spectre.Console.Testing;

namespace MlNetDeep.Cli.Tests;

/// <summary>Runs the mlnetdeep command line in process, as a shell would, capturing what it writes.</summary>
internal static class Cli
{
    /// <summary>The exit code and the console's text (200 columns wide, so tables do not wrap).</summary>
    public static (int Code, string Output) Run(params string[] args)
    {
        var console = new TestConsole().Width(200);
        int code = CliApp.Run(console, args);
        return (code, console.Output);
    }
}
