namespace MlNetDeep.Samples.Data;

/// <summary>Rows divided into a training part and a held-out part (test or validation).</summary>
/// <typeparam name="T">The row type.</typeparam>
/// <param name="Train">The training rows.</param>
/// <param name="Test">The held-out rows.</param>
public sealed record TrainTestSplit<T>(IReadOnlyList<T> Train, IReadOnlyList<T> Test);
