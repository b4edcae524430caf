namespace MlNetDeep;

/// <summary>The activation applied after every hidden layer.</summary>
public enum Activation
{
    /// <summary>max(0, x) (Keras "relu"); the default.</summary>
    Relu,

    /// <summary>Hyperbolic tangent (Keras "tanh").</summary>
    Tanh,

    /// <summary>Gaussian error linear unit, exact erf form (Keras "gelu" with approximate=False).</summary>
    Gelu,

    /// <summary>Logistic sigmoid (Keras "sigmoid").</summary>
    Sigmoid,
}
