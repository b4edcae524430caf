using System.Globalization;
using Microsoft.ML;

namespace MlNetDeep;

/// <summary>
/// One fold of one repeat of a (repeated) K-fold cross-validation: the model trained on the other folds, its
/// metrics on this fold, and its training history when the model provides one — or the exception that stopped it.
/// </summary>
/// <typeparam name="TMetrics">ML.NET's metrics type for the task, e.g. <c>BinaryClassificationMetrics</c>.</typeparam>
public sealed class CrossValidationFoldResult<TMetrics> where TMetrics : class
{
    internal CrossValidationFoldResult(int repeat, int fold, int[] validationRows, int trainingRowCount,
        ITransformer? model, TMetrics? metrics, IReadOnlyDictionary<string, double>? metricValues, Exception? exception)
    {
        Repeat = repeat;
        Fold = fold;
        ValidationRowIndices = validationRows;
        TrainingRowCount = trainingRowCount;
        Model = model;
        Metrics = metrics;
        MetricValues = metricValues ?? new Dictionary<string, double>();
        Exception = exception;
        History = HistoryLookup.Find(model);
    }

    /// <summary>The repeat (shuffle) this fold belongs to, starting at 0.</summary>
    public int Repeat { get; }

    /// <summary>The fold number within its repeat, starting at 0.</summary>
    public int Fold { get; }

    /// <summary>Positions (0-based, ascending) of the input rows this fold validated on.</summary>
    public IReadOnlyList<int> ValidationRowIndices { get; }

    /// <summary>How many rows the fold's model was trained on.</summary>
    public int TrainingRowCount { get; }

    /// <summary>True when training and evaluation finished; false when <see cref="Exception"/> holds the failure.</summary>
    public bool Succeeded => Exception is null;

    /// <summary>The model trained on the other folds; null when the fold failed.</summary>
    public ITransformer? Model { get; }

    /// <summary>ML.NET's metrics on this fold's validation rows; null when the fold failed.</summary>
    public TMetrics? Metrics { get; }

    /// <summary>The scalar metrics by name (ML.NET's property names, e.g. "AreaUnderRocCurve"); empty when the fold failed.</summary>
    public IReadOnlyDictionary<string, double> MetricValues { get; }

    /// <summary>
    /// The training history of the fold's model when it (or the last such transformer in its chain) implements
    /// <see cref="ITrainingHistoryProvider"/>, as MlNetDeep's networks do; otherwise null.
    /// </summary>
    public TrainingHistory? History { get; }

    /// <summary>What the estimator or the evaluator threw in this fold; null when the fold succeeded.</summary>
    public Exception? Exception { get; }

    /// <summary>"repeat r, fold k: …" with the metrics or the failure.</summary>
    /// <returns>The one-line description.</returns>
    public override string ToString()
        => Succeeded
            ? string.Create(CultureInfo.InvariantCulture, $"repeat {Repeat}, fold {Fold}: {string.Join(", ", MetricValues.Select(kv => $"{kv.Key} = {kv.Value:0.####}"))}")
            : string.Create(CultureInfo.InvariantCulture, $"repeat {Repeat}, fold {Fold}: failed with {Exception!.GetType().Name}: {Exception.Message}");
}
