namespace MlNetDeep;

/// <summary>One trained Dense layer: <c>y = x·Wᵀ + b</c> with W stored row-major as [outputs × inputs] (PyTorch's layout).</summary>
public sealed class DenseLayer
{
    internal DenseLayer(int inputSize, int outputSize, float[] weights, float[] bias)
    {
        InputSize = inputSize;
        OutputSize = outputSize;
        WeightsArray = weights;
        BiasArray = bias;
    }

    /// <summary>Inputs of the layer.</summary>
    public int InputSize { get; }

    /// <summary>Units of the layer.</summary>
    public int OutputSize { get; }

    /// <summary>The kernel, row-major [OutputSize × InputSize].</summary>
    public ReadOnlyMemory<float> Weights => WeightsArray;

    /// <summary>The bias, one value per unit.</summary>
    public ReadOnlyMemory<float> Bias => BiasArray;

    internal float[] WeightsArray { get; }

    internal float[] BiasArray { get; }
}
