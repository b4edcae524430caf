using MlNetDeep.Samples.Experiments;

namespace MlNetDeep.Samples.Cli;

/// <summary>The parsed command line.</summary>
internal sealed record CommandLineOptions
{
    public const int DefaultSeed = 42;
    public const string DefaultOutputDirectory = "out";

    /// <summary>The experiment name, "all", "list", "make-subset", or null when none was given.</summary>
    public string? Command { get; init; }

    public string? DataDirectory { get; init; }

    public bool Full { get; init; }

    /// <summary>The --out folder, or null when not given (then <see cref="DefaultOutputDirectory"/>).</summary>
    public string? OutputDirectory { get; init; }

    public int Seed { get; init; } = DefaultSeed;

    public ExperimentBudget Budget { get; init; } = ExperimentBudget.Normal;

    public bool Help { get; init; }
}
