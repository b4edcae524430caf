using Spectre.Console.Cli;

namespace MlNetDeep.Samples.Cli;

/// <summary>A command-line mistake Spectre lets through; the program prints it and exits with <see cref="ExitCodes.Usage"/>.</summary>
internal sealed class LabUsageException(string message) : Exception(message);

/// <summary>
/// Runs before every lab command. Spectre's lenient parsing hands unknown options and extra words to the command as
/// "remaining arguments", and lets a repeated option silently win; the lab rejects both, naming its options. (Its strict
/// mode is no help: in 0.57.2 it drops a value-less <c>--out</c> at the end of the line instead of reporting it.)
/// </summary>
internal sealed class LabArgumentsCheck : ICommandInterceptor
{
    public void Intercept(CommandContext context, CommandSettings settings)
    {
        if (context.Remaining.Parsed.FirstOrDefault() is { } unknown)
        {
            // Parsed holds the option without its dashes; name it as typed
            var typed = context.Arguments.FirstOrDefault(a => a.Split('=')[0].TrimStart('-') == unknown.Key)?.Split('=')[0] ?? unknown.Key;
            throw new LabUsageException($"Unknown option '{typed}'. Valid options: {ValidOptions(settings)}.");
        }
        if (context.Remaining.Raw.Count > 0)
            throw new LabUsageException($"Unexpected argument '{context.Remaining.Raw[0]}'.");
        if (settings is LabSettings)
        {
            var repeated = context.Arguments.Where(a => a.StartsWith("--", StringComparison.Ordinal))
                .Select(a => a.Split('=')[0]).GroupBy(a => a, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (repeated is not null)
                throw new LabUsageException($"Option '{repeated.Key}' is given more than once.");
        }
    }

    private static string ValidOptions(CommandSettings settings) => settings is LabSettings
        ? string.Join(", ", LabHelpProvider.Options().Select(o => o.Names).Append("--help"))
        : "--help";
}
