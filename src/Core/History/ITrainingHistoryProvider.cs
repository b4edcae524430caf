namespace MlNetDeep;

/// <summary>
/// A fitted model that carries the record of its training run; MlNetDeep's trained networks implement it so
/// evaluation helpers (cross-validation, plots) can pick up each fold's history without depending on the trainers.
/// </summary>
public interface ITrainingHistoryProvider
{
    /// <summary>The per-epoch record of the training run that produced this model.</summary>
    TrainingHistory History { get; }
}
