using System.Globalization;
using MlNetDeep.Samples.Experiments;

namespace MlNetDeep.Samples.Cli;

/// <summary>Parses <c>&lt;experiment|all|list&gt; [--data DIR] [--full] [--out DIR] [--seed N] [--budget tiny|normal] [--help]</c>.</summary>
internal static class CommandLine
{
    public const string ValidOptions = "--data DIR, --full, --out DIR, --seed N, --budget tiny|normal, --help";

    public static CommandLineOptions Parse(IReadOnlyList<string> args)
    {
        var options = new CommandLineOptions();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help" or "-?")
            {
                options = options with { Help = true };
                continue;
            }
            if (!arg.StartsWith('-'))
            {
                if (options.Command is not null)
                    throw new UsageException($"Unexpected argument '{arg}': give one experiment name (or 'all' or 'list'); '{options.Command}' was already given.");
                options = options with { Command = arg };
                continue;
            }

            int eq = arg.IndexOf('=');
            string name = eq >= 0 ? arg[..eq] : arg;
            string? inlineValue = eq >= 0 ? arg[(eq + 1)..] : null;
            if (name is not ("--data" or "--full" or "--out" or "--seed" or "--budget"))
                throw new UsageException($"Unknown option '{name}'. Valid options: {ValidOptions}.");
            if (!seen.Add(name))
                throw new UsageException($"Option '{name}' is given more than once.");
            if (name == "--full")
            {
                if (inlineValue is not null)
                    throw new UsageException($"Option '--full' takes no value. Received: {arg}.");
                options = options with { Full = true };
                continue;
            }

            string value;
            if (inlineValue is not null)
                value = inlineValue;
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                value = args[++i];
            else
                throw new UsageException($"Option '{name}' needs a value: {Describe(name)}.");
            if (value.Length == 0)
                throw new UsageException($"Option '{name}' needs a value: {Describe(name)}.");

            options = name switch
            {
                "--data" => options with { DataDirectory = value },
                "--out" => options with { OutputDirectory = value },
                "--seed" => options with { Seed = ParseSeed(value) },
                _ => options with { Budget = ParseBudget(value) },
            };
        }
        return options;
    }

    private static string Describe(string option) => option switch
    {
        "--data" => "a folder with MNIST idx files or an aclImdb folder",
        "--out" => "the output folder",
        "--seed" => "a whole number from 0 to 2147483647",
        _ => "tiny or normal",
    };

    private static int ParseSeed(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int seed)
            ? seed
            : throw new UsageException($"Invalid value for --seed: expected a whole number from 0 to 2147483647. Received: --seed={value}.");

    private static ExperimentBudget ParseBudget(string value) => value.ToLowerInvariant() switch
    {
        "tiny" => ExperimentBudget.Tiny,
        "normal" => ExperimentBudget.Normal,
        _ => throw new UsageException($"Invalid value for --budget: expected tiny or normal. Received: --budget={value}."),
    };
}
