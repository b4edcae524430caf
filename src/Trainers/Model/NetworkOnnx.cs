using MlNetDeep.Heads;
using MlNetDeep.Onnx;
using MlNetDeep.Training;

namespace MlNetDeep;

/// <summary>
/// Writes a <see cref="DenseNetworkModel"/> as ONNX: Gemm (transB) per layer, the activation as ONNX operators
/// (GELU as its exact erf form), then either a standalone head or the scoring head ML.NET's OnnxTransformer reads.
/// </summary>
internal static class NetworkOnnx
{
    /// <summary>The graph inside a saved ML.NET model: one row [1, D] in, vectors out (ML.NET cannot read ONNX scalars).</summary>
    public static byte[] Scoring(DenseNetworkModel model, string featureColumn)
    {
        var g = new OnnxGraph("MlNetDeep.DenseNetwork");
        g.Input(featureColumn, OnnxType.Float, 1, model.InputSize);
        var logits = Body(g, model, featureColumn);
        if (model.Task != NetworkTask.Multiclass)
        {
            g.Initializer("one_shape", new long[] { 1 }, 1);
            g.Node("Reshape", new[] { logits, "one_shape" }, new[] { NetworkHeads.RawOutputColumn });
            g.Output(NetworkHeads.RawOutputColumn, OnnxType.Float, 1);
            return g.ToBytes();
        }

        var classes = model.ClassNames!;
        int k = classes.Count;
        g.Initializer("score_shape", new long[] { k }, 1);
        g.Initializer("class_names", classes, k);
        g.Node("Softmax", new[] { logits }, new[] { "probabilities" }, attributes: OnnxAttribute.Int("axis", 1));
        g.Node("Reshape", new[] { "probabilities", "score_shape" }, new[] { "Score" });
        g.Node("ArgMax", new[] { logits }, new[] { "class_index" }, attributes: new[] { OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 0) });
        g.Node("Gather", new[] { "class_names", "class_index" }, new[] { NetworkHeads.PredictedClassColumn }, attributes: OnnxAttribute.Int("axis", 0));
        // ML.NET's OnnxTransformer turns a node named "mlnet.<column>.SlotNames" with keys_strings into that column's
        // SlotNames annotation (its own exporter's convention); ONNX Runtime prunes the node since nothing reads its output.
        g.Node("LabelEncoder", new[] { NetworkHeads.PredictedClassColumn }, new[] { "mlnet.Score.unused" }, "mlnet.Score.SlotNames", "ai.onnx.ml",
            OnnxAttribute.Strings("keys_strings", classes), OnnxAttribute.Ints("values_int64s", Enumerable.Range(0, k).Select(i => (long)i)), OnnxAttribute.Int("default_int64", -1));
        g.Output("Score", OnnxType.Float, k);
        g.Output(NetworkHeads.PredictedClassColumn, OnnxType.String, 1);
        return g.ToBytes();
    }

    /// <summary>The network alone with a dynamic batch dimension, for use outside ML.NET.</summary>
    public static byte[] Standalone(DenseNetworkModel model)
    {
        var g = new OnnxGraph("MlNetDeep.DenseNetwork");
        g.Input("features", OnnxType.Float, -1, model.InputSize);
        var logits = Body(g, model, "features");
        g.Node("Identity", new[] { logits }, new[] { "logits" });
        g.Output("logits", OnnxType.Float, -1, model.OutputSize);
        if (model.Task == NetworkTask.Binary)
        {
            g.Node("Sigmoid", new[] { logits }, new[] { "probabilities" });
            g.Output("probabilities", OnnxType.Float, -1, 1);
        }
        else if (model.Task == NetworkTask.Multiclass)
        {
            g.Node("Softmax", new[] { logits }, new[] { "probabilities" }, attributes: OnnxAttribute.Int("axis", 1));
            g.Output("probabilities", OnnxType.Float, -1, model.OutputSize);
        }
        return g.ToBytes();
    }

    /// <summary>Adds the layers; returns the name of the logits tensor.</summary>
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
            x = i == model.Layers.Count - 1 ? z : Activate(g, model.Activation, z, i);
        }
        return x;
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
