using Microsoft.ML;
using MlNetDeep.Heads;
using MlNetDeep.Training;

namespace MlNetDeep;

/// <summary>
/// The standard ML.NET estimators a trained network becomes: OnnxTransformer for the network, a CustomMapping head
/// for ML.NET's scalar columns, MapValueToKey (keyed by the class names) for the multiclass PredictedLabel.
/// Output columns: binary Score/Probability/PredictedLabel (Single, Single, Boolean); multiclass Score
/// (Vector&lt;Single, K&gt; with SlotNames) and PredictedLabel (key with the label's KeyValues); regression Score.
/// </summary>
internal static class ScoringChain
{
    public static IEstimator<ITransformer> Create(MLContext ml, DenseNetworkModel model, string featureColumn)
    {
        var onnx = NetworkOnnx.Scoring(model, featureColumn);
        switch (model.Task)
        {
            case NetworkTask.Binary:
                return ml.Transforms.ApplyOnnxModel(new[] { NetworkHeads.RawOutputColumn }, new[] { featureColumn }, new MemoryStream(onnx))
                    .Append(ml.Transforms.CustomMapping<RawOutput, BinaryHeadOutput>(NetworkHeads.Binary, NetworkHeads.BinaryContract))
                    .Append(ml.Transforms.DropColumns(NetworkHeads.RawOutputColumn));
            case NetworkTask.Regression:
                return ml.Transforms.ApplyOnnxModel(new[] { NetworkHeads.RawOutputColumn }, new[] { featureColumn }, new MemoryStream(onnx))
                    .Append(ml.Transforms.CustomMapping<RawOutput, RegressionHeadOutput>(NetworkHeads.Regression, NetworkHeads.RegressionContract))
                    .Append(ml.Transforms.DropColumns(NetworkHeads.RawOutputColumn));
            default:
                var keyData = ml.Data.LoadFromEnumerable(model.ClassNames!.Select(c => new ClassNameRow { Value = c }));
                return ml.Transforms.ApplyOnnxModel(new[] { "Score", NetworkHeads.PredictedClassColumn }, new[] { featureColumn }, new MemoryStream(onnx))
                    .Append(ml.Transforms.CustomMapping<PredictedClassInput, PredictedClassOutput>(NetworkHeads.ClassName, NetworkHeads.ClassNameContract))
                    .Append(ml.Transforms.Conversion.MapValueToKey("PredictedLabel", NetworkHeads.PredictedClassTextColumn, keyData: keyData))
                    .Append(ml.Transforms.DropColumns(NetworkHeads.PredictedClassColumn, NetworkHeads.PredictedClassTextColumn));
        }
    }

    /// <summary>A placeholder network of the right task and input size, used to derive output schemas before training.</summary>
    public static DenseNetworkModel Placeholder(NetworkTask task, int inputSize, IReadOnlyList<string>? classNames)
    {
        int outputs = task == NetworkTask.Multiclass ? classNames!.Count : 1;
        var layer = new DenseLayer(inputSize, outputs, new float[inputSize * outputs], new float[outputs]);
        return new DenseNetworkModel(task, new[] { layer }, Activation.Relu, classNames);
    }

    private sealed class ClassNameRow
    {
        public string Value { get; set; } = "";
    }
}
