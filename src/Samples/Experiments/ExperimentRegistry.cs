using System.Collections;
using System.Text.RegularExpressions;

namespace MlNetDeep.Samples.Experiments;

/// <summary>The experiments the program can run, in the order 'list' and 'all' use.</summary>
public sealed partial class ExperimentRegistry : IReadOnlyList<Experiment>
{
    /// <summary>Command names that cannot be experiment names.</summary>
    public static readonly IReadOnlyList<string> ReservedNames = ["all", "list", "help", "make-subset", "predict"];

    private readonly List<Experiment> _experiments = new();

    /// <summary>Adds an experiment at the end.</summary>
    /// <param name="experiment">The experiment.</param>
    /// <returns>This registry, for chaining.</returns>
    /// <exception cref="ArgumentException">The name is not lowercase-with-dashes, is reserved, or is already registered.</exception>
    public ExperimentRegistry Add(Experiment experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        if (!NamePattern().IsMatch(experiment.Name) || ReservedNames.Contains(experiment.Name))
            throw new ArgumentException(
                $"Invalid value for Name: expected lowercase letters, digits and dashes, not one of {string.Join(", ", ReservedNames)}. Received: Name={experiment.Name}.",
                nameof(experiment));
        if (TryGet(experiment.Name, out _))
            throw new ArgumentException($"An experiment named '{experiment.Name}' is already registered.", nameof(experiment));
        _experiments.Add(experiment);
        return this;
    }

    /// <summary>Finds an experiment by its command-line name (case-insensitive).</summary>
    /// <param name="name">The name.</param>
    /// <param name="experiment">The experiment, when found.</param>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Experiment? experiment)
    {
        experiment = _experiments.Find(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
        return experiment is not null;
    }

    /// <summary>The registered names, in order.</summary>
    public IReadOnlyList<string> Names => _experiments.Select(e => e.Name).ToArray();

    /// <inheritdoc />
    public int Count => _experiments.Count;

    /// <inheritdoc />
    public Experiment this[int index] => _experiments[index];

    /// <inheritdoc />
    public IEnumerator<Experiment> GetEnumerator() => _experiments.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex NamePattern();
}
