namespace MlNetDeep.Samples.Experiments;

/// <summary>What an experiment found: a one-line verdict, the numbers behind it, and the figures it wrote.</summary>
/// <param name="Verdict">
/// One line stating the finding and its numbers, e.g. "Noise channels cost 2.3 points of validation accuracy (0.860 vs 0.883)."
/// </param>
public sealed record ExperimentResult(string Verdict)
{
    /// <summary>Named numbers behind the verdict (e.g. "val_acc_noise" → 0.860), in the order they should be reported.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyDictionary<string, double> Numbers { get; init; } = new Dictionary<string, double>();

    /// <summary>The figure files written (PNG), as full paths or paths relative to the output folder.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyList<string> Figures { get; init; } = [];

    /// <summary>What <see cref="TrainingHistory.Diagnose()"/> reads from each training run of the experiment, in run order.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyList<RunDiagnosis> Diagnoses { get; init; } = [];

    /// <summary>Markdown the report shows after the diagnoses (e.g. a search's ladder of trials); null for none.</summary>
    /// <value>The default is null.</value>
    public string? Details { get; init; }
}

/// <summary>One training run's diagnosis in an experiment.</summary>
/// <param name="Run">The run's name, as in the figures' legends.</param>
/// <param name="Diagnosis">Its diagnosis.</param>
public sealed record RunDiagnosis(string Run, FitDiagnosis Diagnosis)
{
    /// <summary>"Overfitting (from epoch 4)" or "Underfitting".</summary>
    public string Headline => Diagnosis.OverfittingEpoch is int k
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Diagnosis.Verdict} (from epoch {k})")
        : Diagnosis.Verdict.ToString();
}
