using Microsoft.ML;

namespace MlNetDeep.Cli.Training;

/// <summary>The search and the evaluation of each task behind one switch.</summary>
internal static class Trainers
{
    public static DenseNetworkTuningResult Tune(MLContext ml, TaskKind task, DenseNetworkTuningOptions options, IDataView data) => task switch
    {
        TaskKind.Binary => ml.BinaryClassification.TuneDenseNetwork(data, options),
        TaskKind.Multiclass => ml.MulticlassClassification.TuneDenseNetwork(data, options),
        _ => ml.Regression.TuneDenseNetwork(data, options),
    };

    /// <summary>ML.NET's metrics of the task on scored rows, the headline ones first.</summary>
    public static IReadOnlyList<(string Name, double Value)> Evaluate(MLContext ml, TaskKind task, IDataView scored)
    {
        switch (task)
        {
            case TaskKind.Binary:
                var b = ml.BinaryClassification.Evaluate(scored);
                return new[] { ("Accuracy", b.Accuracy), ("AUC", b.AreaUnderRocCurve), ("F1", b.F1Score), ("Precision (positive)", b.PositivePrecision), ("Recall (positive)", b.PositiveRecall), ("LogLoss (bits)", b.LogLoss) };
            case TaskKind.Multiclass:
                var m = ml.MulticlassClassification.Evaluate(scored);
                return new[] { ("MicroAccuracy", m.MicroAccuracy), ("MacroAccuracy", m.MacroAccuracy), ("LogLoss (nats)", m.LogLoss) };
            default:
                var r = ml.Regression.Evaluate(scored);
                return new[] { ("RSquared", r.RSquared), ("MAE", r.MeanAbsoluteError), ("RMSE", r.RootMeanSquaredError) };
        }
    }
}
