using Spectre.Console;

namespace MlNetDeep.Samples.Cli;

/// <summary>A Spectre console on a writer: ANSI colours for a terminal; plain text (no escape codes) when redirected.</summary>
internal static class LabConsole
{
    /// <summary>The width of plain output: wide enough that help and tables do not wrap in a CI log.</summary>
    public const int PlainWidth = 160;

    public static IAnsiConsole Create(TextWriter output, bool interactive)
    {
        if (interactive && ReferenceEquals(output, Console.Out))
            return AnsiConsole.Console;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = interactive ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Standard : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(interactive ? output : new TrailingSpaceTrimmingWriter(output)),
        });
        if (!interactive)
            console.Profile.Width = PlainWidth;
        return console;
    }
}
