namespace MlNetDeep;

/// <summary>
/// The trained normalization of one hidden layer (Keras' <c>BatchNormalization</c> or <c>LayerNormalization</c>
/// weights), applied to the layer's Dense output before the activation:
/// <c>y = gamma·(x − mean)/√(variance + Epsilon) + beta</c>, with the moving mean and variance for batch
/// normalization and the row's own mean and variance for layer normalization.
/// </summary>
public sealed class NormalizationWeights
{
    internal NormalizationWeights(NormalizationKind kind, double epsilon, float[] gamma, float[] beta, float[]? movingMean = null, float[]? movingVariance = null)
    {
        Kind = kind;
        Epsilon = epsilon;
        GammaArray = gamma;
        BetaArray = beta;
        MovingMeanArray = movingMean ?? Array.Empty<float>();
        MovingVarianceArray = movingVariance ?? Array.Empty<float>();
    }

    /// <summary>Batch or layer normalization.</summary>
    public NormalizationKind Kind { get; }

    /// <summary>Units normalized (the layer's <see cref="DenseLayer.OutputSize"/>).</summary>
    public int Size => GammaArray.Length;

    /// <summary>The small constant added to the variance (Keras' default 1e-3).</summary>
    public double Epsilon { get; }

    /// <summary>The learned scale, one value per unit (Keras' <c>gamma</c>).</summary>
    public ReadOnlyMemory<float> Gamma => GammaArray;

    /// <summary>The learned offset, one value per unit (Keras' <c>beta</c>).</summary>
    public ReadOnlyMemory<float> Beta => BetaArray;

    /// <summary>Batch normalization's moving mean used at inference (Keras' <c>moving_mean</c>); empty for layer normalization.</summary>
    public ReadOnlyMemory<float> MovingMean => MovingMeanArray;

    /// <summary>Batch normalization's moving variance used at inference (Keras' <c>moving_variance</c>); empty for layer normalization.</summary>
    public ReadOnlyMemory<float> MovingVariance => MovingVarianceArray;

    internal float[] GammaArray { get; }

    internal float[] BetaArray { get; }

    internal float[] MovingMeanArray { get; }

    internal float[] MovingVarianceArray { get; }
}
