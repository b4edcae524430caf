using Microsoft.ML;
using MlNetDeep.TestUtilities;
using MlNetDeep.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetDeep.Trainers.Tests;

/// <summary>A stored network's outputs from libtorch's eval forward and from the fitted transformer, to compare the managed scorer with.</summary>
internal static class NetworkOutputs
{
    /// <summary>libtorch's eval-mode forward pass of <paramref name="model"/> on row-major <paramref name="rows"/>: logits (predictions for regression).</summary>
    public static float[] LibTorchLogits(DenseNetworkModel model, float[] rows)
    {
        using var generator = new Generator(1, CPU);
        using var module = DenseNetworkModule.FromModel(model, 0, generator);
        module.eval();
        using var noGrad = no_grad();
        using var x = tensor(rows, new long[] { rows.Length / model.InputSize, model.InputSize });
        using var output = module.forward(x);
        return output.data<float>().ToArray();
    }

    /// <summary>What the scorer should write, from libtorch: sigmoid probabilities, softmax scores, or the predictions.</summary>
    public static float[] LibTorchScores(DenseNetworkModel model, float[][] features)
    {
        var logits = LibTorchLogits(model, features.SelectMany(f => f).ToArray());
        using var t = tensor(logits, new long[] { features.Length, model.OutputSize });
        using var scores = model.Task switch
        {
            NetworkTask.Binary => t.sigmoid(),
            NetworkTask.Multiclass => t.softmax(1),
            _ => t.alias(),
        };
        return scores.data<float>().ToArray();
    }

    /// <summary>What the fitted transformer writes: Probability (binary), the Score vector (multiclass) or Score (regression), row after row.</summary>
    public static float[] Scored(DenseNetworkTransformer model, IDataView data)
    {
        var scored = model.Transform(data);
        return model.Model.Task switch
        {
            NetworkTask.Binary => Columns.Scalars<float>(scored, "Probability"),
            NetworkTask.Multiclass => Columns.Vectors(scored, "Score").SelectMany(v => v).ToArray(),
            _ => Columns.Scalars<float>(scored, "Score"),
        };
    }
}
