namespace MlNetDeep.Samples.Experiments;

/// <summary>Thrown by a registered experiment that has no implementation yet; the program exits with code 3.</summary>
public sealed class ExperimentNotImplementedException : Exception
{
    /// <summary>Creates the exception for the named experiment.</summary>
    /// <param name="experimentName">The experiment's command-line name.</param>
    public ExperimentNotImplementedException(string experimentName)
        : base($"Experiment '{experimentName}' is not implemented yet: it is registered so 'list' shows it, and waits for the MlNetDeep trainers.")
    {
        ExperimentName = experimentName;
    }

    /// <summary>The experiment's command-line name.</summary>
    public string ExperimentName { get; }
}
