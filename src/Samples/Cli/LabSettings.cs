using System.ComponentModel;
using System.Globalization;
using MlNetDeep.Samples.Experiments;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetDeep.Samples.Cli;

/// <summary>The options every experiment, <c>all</c> and <c>make-subset</c> take (parsed by Spectre.Console.Cli).</summary>
public sealed class LabSettings : CommandSettings
{
    /// <summary>The seed when --seed is not given.</summary>
    public const int DefaultSeed = 42;

    /// <summary>The output folder when --out is not given.</summary>
    public const string DefaultOutputDirectory = "out";

    /// <summary>--data DIR.</summary>
    [CommandOption("--data <DIR>")]
    [Description("A folder of MNIST idx files (train-images-idx3-ubyte[[.gz]], ...) or an IMDB aclImdb folder, used instead of the embedded Fashion-MNIST or SpamAssassin subset.")]
    public string? DataDirectory { get; init; }

    /// <summary>--full.</summary>
    [CommandOption("--full")]
    [Description("The full data sets installed by build/setup.sh instead of the embedded subset.")]
    public bool Full { get; init; }

    /// <summary>--out DIR, or null when not given (then <see cref="DefaultOutputDirectory"/>).</summary>
    [CommandOption("--out <DIR>")]
    [Description("Output folder for figures and report.md (default: out).")]
    public string? OutputDirectory { get; init; }

    /// <summary>--seed N as typed; <see cref="Seed"/> is its value.</summary>
    [CommandOption("--seed <N>")]
    [Description("Seed for shuffles, splits, noise and initialisation (default: 42).")]
    public string? SeedText { get; init; }

    /// <summary>--budget as typed; <see cref="Budget"/> is its value.</summary>
    [CommandOption("--budget <BUDGET>")]
    [Description("normal (default) or tiny (a seconds-long smoke run).")]
    public string? BudgetText { get; init; }

    /// <summary>The seed (<see cref="DefaultSeed"/> when not given).</summary>
    public int Seed => SeedText is null ? DefaultSeed : int.Parse(SeedText, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>The budget (<see cref="ExperimentBudget.Normal"/> when not given).</summary>
    public ExperimentBudget Budget => BudgetText?.ToLowerInvariant() == "tiny" ? ExperimentBudget.Tiny : ExperimentBudget.Normal;

    /// <summary>Checks the values Spectre cannot: the seed's range (no sign, no overflow) and the budget's name, and that no path is empty.</summary>
    public override ValidationResult Validate()
    {
        // a string, not an int: Spectre would accept -1 and report "99999999999" as a conversion failure without the range
        if (SeedText is not null && !int.TryParse(SeedText, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            return ValidationResult.Error($"Invalid value for --seed: expected a whole number from 0 to 2147483647. Received: --seed={SeedText}.");
        if (BudgetText is not null && BudgetText.ToLowerInvariant() is not ("tiny" or "normal"))
            return ValidationResult.Error($"Invalid value for --budget: expected tiny or normal. Received: --budget={BudgetText}.");
        if (DataDirectory is { Length: 0 })
            return ValidationResult.Error("Option '--data' needs a value: a folder with MNIST idx files or an aclImdb folder.");
        if (OutputDirectory is { Length: 0 })
            return ValidationResult.Error("Option '--out' needs a value: the output folder.");
        return ValidationResult.Success();
    }
}

/// <summary><c>predict MODEL.zip TEXT...</c>: the consuming side of the Model Builder-style spam script.</summary>
public sealed class PredictSettings : CommandSettings
{
    /// <summary>The saved model.</summary>
    [CommandArgument(0, "<MODEL>")]
    [Description("The model zip the spam-model experiment saved.")]
    public string Model { get; init; } = "";

    /// <summary>The words of the text to classify.</summary>
    [CommandArgument(1, "<TEXT>")]
    [Description("The mail text to classify (the words are joined with spaces).")]
    public string[] Text { get; init; } = [];
}
