using Microsoft.ML;

namespace MlNetDeep;

/// <summary>One fold of one repeat: the network trains on <see cref="Train"/>, draws its curves on <see cref="Validation"/> and is scored on <see cref="HeldOut"/>.</summary>
internal sealed record TuningFold(int Repeat, int Index, IDataView Train, IDataView Validation, IDataView HeldOut, int TrainingRows,
    double HeldOutBaseline, double ValidationBaseline);
