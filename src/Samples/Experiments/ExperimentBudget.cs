namespace MlNetDeep.Samples.Experiments;

/// <summary>How much work an experiment may do.</summary>
public enum ExperimentBudget
{
    /// <summary>The lecture's settings (epochs, model sizes, all rows of the chosen data).</summary>
    Normal,

    /// <summary>A smoke run for tests: a few hundred rows and one or two epochs, so every experiment runs in seconds.</summary>
    Tiny,
}
