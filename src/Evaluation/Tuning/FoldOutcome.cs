namespace MlNetDeep;

/// <summary>What one fold of one trial gave: its held-out loss and ML.NET metrics, its history (with the constant-prediction baseline) and that history's diagnosis.</summary>
internal sealed record FoldOutcome(double Loss, IReadOnlyDictionary<string, double> Metrics, TrainingHistory History, FitDiagnosis Diagnosis, TimeSpan Duration);
