using MlNetDeep.Training;

namespace MlNetDeep.Network;

/// <summary>
/// Everything a saved model needs to score and describe a trained dense network, independent of libtorch: the
/// task, the activation, each layer's weights (row-major [out, in], as torch stores them) and bias, the class
/// names (multiclass), the feature column and the training history. <see cref="NetworkFormat"/> writes and reads it.
/// </summary>
internal sealed class NetworkDefinition
{
    public NetworkDefinition(NetworkTask task, Activation activation, IReadOnlyList<DenseLayer> layers, IReadOnlyList<string>? classNames,
        string featureColumn, TrainingHistory? history)
    {
        if (layers.Count == 0)
            throw new ArgumentException("A network has at least one layer.", nameof(layers));
        for (int i = 0; i < layers.Count; i++)
        {
            var l = layers[i];
            if (l.WeightsArray.Length != (long)l.InputSize * l.OutputSize || l.BiasArray.Length != l.OutputSize)
                throw new ArgumentException($"Layer {i}: {l.WeightsArray.Length} weights and {l.BiasArray.Length} biases for {l.InputSize} inputs and {l.OutputSize} outputs.", nameof(layers));
            if (i > 0 && layers[i - 1].OutputSize != l.InputSize)
                throw new ArgumentException($"Layer {i} takes {l.InputSize} inputs but layer {i - 1} gives {layers[i - 1].OutputSize}.", nameof(layers));
        }
        int outputs = layers[^1].OutputSize;
        if (task == NetworkTask.Multiclass ? classNames is null || classNames.Count != outputs || outputs < 2 : outputs != 1)
            throw new ArgumentException($"A {task} network with {outputs} outputs and {classNames?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no"} class names.", nameof(classNames));
        Task = task;
        Activation = activation;
        Layers = layers;
        ClassNames = classNames;
        FeatureColumn = featureColumn;
        History = history;
    }

    public NetworkTask Task { get; }

    public Activation Activation { get; }

    public IReadOnlyList<DenseLayer> Layers { get; }

    public IReadOnlyList<string>? ClassNames { get; }

    public string FeatureColumn { get; }

    public TrainingHistory? History { get; }

    public int InputSize => Layers[0].InputSize;

    public int OutputSize => Layers[^1].OutputSize;
}
