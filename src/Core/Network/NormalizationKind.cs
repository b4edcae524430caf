namespace MlNetDeep;

/// <summary>
/// The normalization applied after each hidden Dense layer, before its activation (Keras:
/// <c>Dense(units)</c> → <c>BatchNormalization()</c> or <c>LayerNormalization()</c> → <c>Activation(...)</c>).
/// The output layer is never normalized.
/// </summary>
public enum NormalizationKind
{
    /// <summary>No normalization; the default.</summary>
    None,

    /// <summary>
    /// Keras' <c>BatchNormalization()</c> with its defaults: during training each unit is normalized by the
    /// mini-batch's mean and (biased) variance; moving averages of both (momentum 0.99, i.e. PyTorch momentum 0.01;
    /// initial mean 0 and variance 1) are kept and used at inference, in validation losses and in the saved model;
    /// epsilon 1e-3; learnable scale gamma (initially 1) and offset beta (initially 0).
    /// </summary>
    BatchNormalization,

    /// <summary>
    /// Keras' <c>LayerNormalization()</c> with its defaults: each row's units are normalized by that row's mean and
    /// (biased) variance, the same in training and inference; epsilon 1e-3; learnable scale gamma (initially 1) and
    /// offset beta (initially 0).
    /// </summary>
    LayerNormalization,
}
