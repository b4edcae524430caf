namespace MlNetDeep;

/// <summary>
/// One trained Dense layer: <c>y = x·Wᵀ + b</c> with W stored row-major as [outputs × inputs] (PyTorch's layout),
/// followed, on hidden layers of a network trained with a <see cref="NormalizationKind"/>, by its
/// <see cref="Normalization"/> (before the activation).
/// </summary>
public sealed class DenseLayer
{
    internal DenseLayer(int inputSize, int outputSize, float[] weights, float[] bias, NormalizationWeights? normalization = null)
    {
        InputSize = inputSize;
        OutputSize = outputSize;
        WeightsArray = weights;
        BiasArray = bias;
        Normalization = normalization;
    }

    /// <summary>Inputs of the layer.</summary>
    public int InputSize { get; }

    /// <summary>Units of the layer.</summary>
    public int OutputSize { get; }

    /// <summary>The kernel, row-major [OutputSize × InputSize].</summary>
    public ReadOnlyMemory<float> Weights => WeightsArray;

    /// <summary>The bias, one value per unit.</summary>
    public ReadOnlyMemory<float> Bias => BiasArray;

    /// <summary>The normalization applied to this layer's output before the activation; null when there is none (always on the output layer).</summary>
    public NormalizationWeights? Normalization { get; }

    internal float[] WeightsArray { get; }

    internal float[] BiasArray { get; }
}
