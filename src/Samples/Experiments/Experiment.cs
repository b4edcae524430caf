namespace MlNetDeep.Samples.Experiments;

/// <summary>One runnable lecture experiment: its command-line name, what it shows, the data it needs and how to run it.</summary>
/// <param name="Name">The command-line name, lowercase with dashes, e.g. "noise-vs-zeros".</param>
/// <param name="Title">A short title for tables and the report, e.g. "Noise channels vs zero channels".</param>
/// <param name="Description">One or two sentences: what is trained and what the lecture says should happen.</param>
/// <param name="Data">The corpora it reads.</param>
/// <param name="Run">Runs the experiment; throws <see cref="ExperimentNotImplementedException"/> while it is a placeholder.</param>
public sealed record Experiment(string Name, string Title, string Description, ExperimentData Data, Func<ExperimentContext, ExperimentResult> Run)
{
    /// <summary>False for a placeholder registered before its implementation exists.</summary>
    /// <value>The default is true.</value>
    public bool IsImplemented { get; init; } = true;

    /// <summary>A placeholder: listed by 'list', and running it exits with code 3 and a clear message.</summary>
    /// <param name="name">The command-line name.</param>
    /// <param name="title">A short title.</param>
    /// <param name="description">What it will show.</param>
    /// <param name="data">The corpora it will read.</param>
    public static Experiment NotImplemented(string name, string title, string description, ExperimentData data) =>
        new(name, title, description, data, _ => throw new ExperimentNotImplementedException(name)) { IsImplemented = false };
}
