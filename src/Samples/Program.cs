using MlNetDeep.Samples.Cli;

namespace MlNetDeep.Samples;

/// <summary>Entry point: <c>dotnet run --project src/Samples -- &lt;experiment|all|list&gt; [options]</c>.</summary>
public static class Program
{
    /// <summary>Runs the program on the console; Ctrl+C cancels the running experiment.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <returns>An exit code from <see cref="ExitCodes"/>.</returns>
    public static int Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        return SamplesApp.Run(args, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected, cancellationToken: cancellation.Token);
    }
}
