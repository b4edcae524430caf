namespace MlNetDeep.Samples.Experiments;

/// <summary>One runnable lecture experiment: its command-line name, what it shows, the data it needs and how to run it.</summary>
/// <param name="Name">The command-line name, lowercase with dashes, e.g. "noise-vs-zeros".</param>
/// <param name="Title">A short title for tables and the report, e.g. "Noise channels vs zero channels".</param>
/// <param name="Description">One or two sentences: what is trained and what the lecture says should happen.</param>
/// <param name="Data">The corpora it reads.</param>
/// <param name="Run">Runs the experiment.</param>
public sealed record Experiment(string Name, string Title, string Description, ExperimentData Data, Func<ExperimentContext, ExperimentResult> Run);
