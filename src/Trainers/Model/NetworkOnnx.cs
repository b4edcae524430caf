using System.Text.Json;
using MlNetDeep.Onnx;
using MlNetDeep.Training;

namespace MlNetDeep;

/// <summary>
/// Writes a <see cref="DenseNetworkModel"/> as a standalone ONNX model for use outside ML.NET: Gemm (transB) per
/// layer, a hidden layer's normalization as ONNX BatchNormalization (inference mode: the moving mean and variance) or
/// LayerNormalization (opset 17, over the last axis; ONNX Runtime implements it natively, so it is not decomposed),
/// the activation as ONNX operators (GELU as its exact erf form), a dynamic batch dimension, and the class
/// names, task and training history in the model's metadata_props.
/// </summary>
internal static class NetworkOnnx
{
    /// <summary>Metadata key of the class names (a JSON array, key order; multiclass only).</summary>
    public const string ClassNamesKey = "mlnetdeep.class_names";

    /// <summary>Metadata key of the task ("Binary", "Multiclass", "Regression").</summary>
    public const string TaskKey = "mlnetdeep.task";

    /// <summary>Metadata key of the training history (CSV, see <see cref="TrainingHistory.ToCsv"/>).</summary>
    public const string HistoryKey = "mlnetdeep.history";

    public static byte[] Standalone(DenseNetworkModel model)
    {
        var g = new OnnxGraph("MlNetDeep.DenseNetwork");
        g.Input("features", OnnxType.Float, -1, model.InputSize);
        var last = Body(g, model, "features");
        if (model.Task == NetworkTask.Regression)
        {
            g.Node("Identity", new[] { last }, new[] { "prediction" });
            g.Output("prediction", OnnxType.Float, -1, 1);
        }
        else
        {
            g.Node("Identity", new[] { last }, new[] { "logits" });
            g.Output("logits", OnnxType.Float, -1, model.OutputSize);
            if (model.Task == NetworkTask.Binary)
                g.Node("Sigmoid", new[] { last }, new[] { "probabilities" });
            else
                g.Node("Softmax", new[] { last }, new[] { "probabilities" }, attributes: OnnxAttribute.Int("axis", 1));
            g.Output("probabilities", OnnxType.Float, -1, model.OutputSize);
        }
        g.Metadata(TaskKey, model.Task.ToString());
        if (model.ClassNames is not null)
            g.Metadata(ClassNamesKey, JsonSerializer.Serialize(model.ClassNames));
        if (model.History is { } history)
            g.Metadata(HistoryKey, history.ToCsv());
        return g.ToBytes();
    }

    /// <summary>Adds the layers; returns the name of the last layer's output.</summary>
    private static string Body(OnnxGraph g, DenseNetworkModel model, string input)
    {
        string x = input;
        for (int i = 0; i < model.Layers.Count; i++)
        {
            var layer = model.Layers[i];
            g.Initializer($"W{i}", layer.WeightsArray, layer.OutputSize, layer.InputSize);
            g.Initializer($"B{i}", layer.BiasArray, layer.OutputSize);
            string z = $"z{i}";
            g.Node("Gemm", new[] { x, $"W{i}", $"B{i}" }, new[] { z }, $"dense{i}", attributes: OnnxAttribute.Int("transB", 1));
            if (layer.Normalization is { } n)
                z = Normalize(g, n, z, i);
            x = i == model.Layers.Count - 1 ? z : Activate(g, model.Activation, z, i);
        }
        return x;
    }

    private static string Normalize(OnnxGraph g, NormalizationWeights n, string z, int i)
    {
        string y = $"n{i}";
        g.Initializer($"gamma{i}", n.GammaArray, n.Size);
        g.Initializer($"beta{i}", n.BetaArray, n.Size);
        var epsilon = OnnxAttribute.Float("epsilon", (float)n.Epsilon);
        switch (n.Kind)
        {
            case NormalizationKind.BatchNormalization:
                g.Initializer($"moving_mean{i}", n.MovingMeanArray, n.Size);
                g.Initializer($"moving_variance{i}", n.MovingVarianceArray, n.Size);
                // [N, C] input, training_mode 0 (the default): y = gamma·(x − mean)/√(var + ε) + beta with the stored statistics
                g.Node("BatchNormalization", new[] { z, $"gamma{i}", $"beta{i}", $"moving_mean{i}", $"moving_variance{i}" }, new[] { y }, $"batch_norm{i}", attributes: epsilon);
                break;
            case NormalizationKind.LayerNormalization:
                g.Node("LayerNormalization", new[] { z, $"gamma{i}", $"beta{i}" }, new[] { y }, $"layer_norm{i}", attributes: new[] { OnnxAttribute.Int("axis", -1), epsilon });
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(n), n.Kind, "Unknown normalization.");
        }
        return y;
    }

    private static string Activate(OnnxGraph g, Activation activation, string z, int i)
    {
        string a = $"a{i}";
        switch (activation)
        {
            case Activation.Relu:
                g.Node("Relu", new[] { z }, new[] { a });
                break;
            case Activation.Tanh:
                g.Node("Tanh", new[] { z }, new[] { a });
                break;
            case Activation.Sigmoid:
                g.Node("Sigmoid", new[] { z }, new[] { a });
                break;
            case Activation.Gelu:
                // gelu(x) = 0.5·x·(1 + erf(x/√2))
                g.Initializer($"sqrt2_{i}", new[] { MathF.Sqrt(2f) });
                g.Initializer($"half_{i}", new[] { 0.5f });
                g.Initializer($"one_{i}", new[] { 1f });
                g.Node("Div", new[] { z, $"sqrt2_{i}" }, new[] { $"g{i}_scaled" });
                g.Node("Erf", new[] { $"g{i}_scaled" }, new[] { $"g{i}_erf" });
                g.Node("Add", new[] { $"g{i}_erf", $"one_{i}" }, new[] { $"g{i}_plus1" });
                g.Node("Mul", new[] { z, $"g{i}_plus1" }, new[] { $"g{i}_prod" });
                g.Node("Mul", new[] { $"g{i}_prod", $"half_{i}" }, new[] { a });
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation));
        }
        return a;
    }
}
