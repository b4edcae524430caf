using MlNetDeep.Training;

namespace MlNetDeep.Network;

/// <summary>
/// Everything a saved model needs to score and describe a trained dense network, independent of libtorch: the
/// task, the activation, each layer's weights (row-major [out, in], as torch stores them), bias and normalization, the class
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
            if (l.Normalization is { } n)
                CheckNormalization(n, l.OutputSize, i, i == layers.Count - 1);
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

    /// <summary>Whether any layer is normalized (such a network needs format version 2).</summary>
    public bool HasNormalization => Layers.Any(l => l.Normalization is not null);

    public NetworkTask Task { get; }

    public Activation Activation { get; }

    public IReadOnlyList<DenseLayer> Layers { get; }

    public IReadOnlyList<string>? ClassNames { get; }

    public string FeatureColumn { get; }

    public TrainingHistory? History { get; }

    public int InputSize => Layers[0].InputSize;

    public int OutputSize => Layers[^1].OutputSize;

    private static void CheckNormalization(NormalizationWeights n, int units, int i, bool isOutput)
    {
        if (isOutput)
            throw new ArgumentException($"Layer {i} is the output layer; only hidden layers are normalized.", "layers");
        int moving = n.Kind == NormalizationKind.BatchNormalization ? units : 0;
        if (n.Kind is not (NormalizationKind.BatchNormalization or NormalizationKind.LayerNormalization))
            throw new ArgumentException($"Layer {i}: unknown normalization {n.Kind}.", "layers");
        if (n.GammaArray.Length != units || n.BetaArray.Length != units || n.MovingMeanArray.Length != moving || n.MovingVarianceArray.Length != moving)
            throw new ArgumentException($"Layer {i}: {n.Kind} has {n.GammaArray.Length} gamma, {n.BetaArray.Length} beta, {n.MovingMeanArray.Length} moving-mean and {n.MovingVarianceArray.Length} moving-variance values for {units} units.", "layers");
        if (!(n.Epsilon > 0) || double.IsInfinity(n.Epsilon))
            throw new ArgumentException($"Layer {i}: {n.Kind} epsilon must be a finite number > 0; it is {n.Epsilon}.", "layers");
    }
}
