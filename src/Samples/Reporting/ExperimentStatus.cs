namespace MlNetDeep.Samples.Reporting;

/// <summary>How an experiment run ended.</summary>
public enum ExperimentStatus
{
    /// <summary>It ran and returned a result.</summary>
    Succeeded,

    /// <summary>Its data could not be read (exit code 4).</summary>
    DataError,

    /// <summary>It threw (exit code 1).</summary>
    Failed,
}
