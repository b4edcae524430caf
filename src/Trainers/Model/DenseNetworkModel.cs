using MlNetDeep.Training;

namespace MlNetDeep;

/// <summary>
/// A trained dense network: its architecture and weights, independent of libtorch. It is the model parameter of
/// <see cref="DenseNetworkTransformer"/> (what ML.NET's <c>IPredictionTransformer&lt;TModel&gt;.Model</c> returns).
/// </summary>
public sealed class DenseNetworkModel
{
    internal DenseNetworkModel(NetworkTask task, IReadOnlyList<DenseLayer> layers, Activation activation, IReadOnlyList<string>? classNames)
    {
        Task = task;
        Layers = layers;
        Activation = activation;
        ClassNames = classNames;
    }

    /// <summary>The layers, input side first; the last one is the output layer (logits, or the regression value).</summary>
    public IReadOnlyList<DenseLayer> Layers { get; }

    /// <summary>The activation after every hidden layer.</summary>
    public Activation Activation { get; }

    /// <summary>Number of input features.</summary>
    public int InputSize => Layers[0].InputSize;

    /// <summary>Units of the hidden layers.</summary>
    public IReadOnlyList<int> HiddenLayerSizes => Layers.Take(Layers.Count - 1).Select(l => l.OutputSize).ToArray();

    /// <summary>Outputs of the network: 1 for binary classification and regression, the class count for multiclass.</summary>
    public int OutputSize => Layers[^1].OutputSize;

    /// <summary>Class names in key order (multiclass only; null otherwise).</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>Number of trainable parameters (weights and biases).</summary>
    public long ParameterCount => Layers.Sum(l => (long)l.InputSize * l.OutputSize + l.OutputSize);

    internal NetworkTask Task { get; }

    /// <summary>
    /// Writes the network alone as an ONNX model (opset 17): input <c>features</c> [N, InputSize]; outputs
    /// <c>logits</c> [N, OutputSize] and, for classification, <c>probabilities</c> (sigmoid or softmax).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    public void ExportOnnx(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(NetworkOnnx.Standalone(this));
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"Dense network {InputSize} → [{string.Join(", ", HiddenLayerSizes)}] → {OutputSize} ({Activation}, {ParameterCount} parameters)";
}
