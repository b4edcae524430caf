using MlNetDeep.Samples.Experiments;

namespace MlNetDeep.Samples.Reporting;

/// <summary>One experiment's run for the summary table and the report.</summary>
/// <param name="Experiment">The experiment.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Result">Its result when it succeeded, otherwise null.</param>
/// <param name="Message">The error message when it did not succeed, otherwise null.</param>
/// <param name="Elapsed">How long it ran.</param>
public sealed record ExperimentOutcome(Experiment Experiment, ExperimentStatus Status, ExperimentResult? Result, string? Message, TimeSpan Elapsed)
{
    /// <summary>The verdict, or a short account of why there is none.</summary>
    public string Verdict => Status switch
    {
        ExperimentStatus.Succeeded => Result!.Verdict,
        ExperimentStatus.DataError => $"data error: {Message}",
        _ => $"failed: {Message}",
    };
}
