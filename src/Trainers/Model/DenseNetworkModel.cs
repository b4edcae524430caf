using Microsoft.ML;
using MlNetDeep.Heads;
using MlNetDeep.Network;
using MlNetDeep.State;
using MlNetDeep.Training;

namespace MlNetDeep;

/// <summary>
/// A trained dense network: its architecture, weights, class names and training history, independent of libtorch.
/// It is the model parameter of <see cref="DenseNetworkTransformer"/> (what ML.NET's
/// <c>IPredictionTransformer&lt;TModel&gt;.Model</c> returns); <see cref="FromTransformer"/> recovers it from any
/// fitted pipeline or from a model loaded with <c>mlContext.Model.Load</c>.
/// </summary>
public sealed class DenseNetworkModel
{
    internal DenseNetworkModel(NetworkTask task, IReadOnlyList<DenseLayer> layers, Activation activation, IReadOnlyList<string>? classNames, TrainingHistory? history = null)
    {
        Task = task;
        Layers = layers;
        Activation = activation;
        ClassNames = classNames;
        History = history;
    }

    /// <summary>The layers, input side first; the last one is the output layer (logits, or the regression value).</summary>
    public IReadOnlyList<DenseLayer> Layers { get; }

    /// <summary>The activation after every hidden layer.</summary>
    public Activation Activation { get; }

    /// <summary>
    /// The normalization after every hidden Dense layer, before the activation (<see cref="NormalizationKind.None"/>
    /// when there is none or no hidden layer); each hidden layer's trained gamma, beta and moving statistics are in
    /// its <see cref="DenseLayer.Normalization"/>.
    /// </summary>
    public NormalizationKind Normalization => Layers.Count > 1 ? Layers[0].Normalization?.Kind ?? NormalizationKind.None : NormalizationKind.None;

    /// <summary>Number of input features.</summary>
    public int InputSize => Layers[0].InputSize;

    /// <summary>Units of the hidden layers.</summary>
    public IReadOnlyList<int> HiddenLayerSizes => Layers.Take(Layers.Count - 1).Select(l => l.OutputSize).ToArray();

    /// <summary>Outputs of the network: 1 for binary classification and regression, the class count for multiclass.</summary>
    public int OutputSize => Layers[^1].OutputSize;

    /// <summary>The class values as text in key order (multiclass only; null otherwise): the slot names of Score.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>
    /// The history the network was trained with (also recovered from a saved model): after a warm start
    /// (<c>Fit(trainData, initialModel)</c>) the initial model's epochs followed by the continued ones. Null if unknown.
    /// </summary>
    public TrainingHistory? History { get; }

    /// <summary>Number of trainable parameters: weights, biases and normalization's gamma and beta (not batch normalization's moving statistics, which Keras counts as non-trainable).</summary>
    public long ParameterCount => Layers.Sum(l => (long)l.InputSize * l.OutputSize + l.OutputSize + (l.Normalization is null ? 0 : 2L * l.OutputSize));

    internal NetworkTask Task { get; }

    /// <summary>
    /// Recovers the dense network from a fitted pipeline, a <see cref="DenseNetworkTransformer"/>, or a chain
    /// returned by <c>mlContext.Model.Load</c> (weights, task, class names and the saved training history). When a
    /// pipeline holds several networks, the last one is returned.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentException">The model holds no MlNetDeep dense network.</exception>
    /// <exception cref="InvalidDataException">The stored network is damaged (its checksum does not match).</exception>
    public static DenseNetworkModel FromTransformer(ITransformer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var direct = StateLookup.Flatten(model).OfType<DenseNetworkTransformer>().LastOrDefault() ?? model as DenseNetworkTransformer;
        if (direct is not null)
            return direct.Model;
        var text = StateLookup.ReadText(new MLContext(), model, DenseNetworkHeads.NetworkColumn)
            ?? throw new ArgumentException($"The model holds no MlNetDeep dense network (no transformer writes '{DenseNetworkHeads.NetworkColumn}'). Pass a pipeline fitted with a DenseNetwork trainer, or a model loaded from its saved zip.", nameof(model));
        return FromDefinition(NetworkFormat.Read(text));
    }

    /// <summary>
    /// Writes the network alone as an ONNX model (opset 17) with a dynamic batch dimension: input <c>features</c>
    /// [N, InputSize]; per layer a Gemm, then on hidden layers an inference-mode BatchNormalization (moving statistics)
    /// or a LayerNormalization node when the network is normalized, and the activation; outputs <c>logits</c> [N, OutputSize] and <c>probabilities</c> (sigmoid or softmax) for
    /// classification, <c>prediction</c> [N, 1] for regression. The model's metadata_props hold
    /// <c>mlnetdeep.task</c>, <c>mlnetdeep.class_names</c> (JSON array) and <c>mlnetdeep.history</c> (CSV).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    public void ExportOnnx(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(NetworkOnnx.Standalone(this));
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"Dense network {InputSize} → [{string.Join(", ", HiddenLayerSizes)}] → {OutputSize} ({Activation}{(Normalization == NormalizationKind.None ? "" : ", " + Normalization)}, {ParameterCount} parameters)";

    internal NetworkDefinition ToDefinition(string featureColumn) =>
        new(Task, Activation, Layers, ClassNames, featureColumn, History);

    internal static DenseNetworkModel FromDefinition(NetworkDefinition d) =>
        new(d.Task, d.Layers, d.Activation, d.ClassNames, d.History);
}
