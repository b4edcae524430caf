namespace MlNetDeep;

/// <summary>
/// How the kernels (weight matrices) of every Dense layer are initialized, with Keras' definitions (biases start at
/// zero). fan_in is a layer's inputs, fan_out its units. The normal variants draw from a normal distribution
/// truncated at 2 standard deviations whose stddev is divided by 0.87962566103423978 (Keras' correction), so the
/// kernel's actual standard deviation is the one named below. Draws use the training seed.
/// </summary>
public enum KernelInitializer
{
    /// <summary>Keras' <c>"glorot_uniform"</c>: uniform in ±√(6/(fan_in + fan_out)), standard deviation √(2/(fan_in + fan_out)); the default.</summary>
    GlorotUniform,

    /// <summary>Keras' <c>"glorot_normal"</c>: truncated normal with standard deviation √(2/(fan_in + fan_out)).</summary>
    GlorotNormal,

    /// <summary>Keras' <c>"he_uniform"</c>: uniform in ±√(6/fan_in), standard deviation √(2/fan_in) (for ReLU networks).</summary>
    HeUniform,

    /// <summary>Keras' <c>"he_normal"</c>: truncated normal with standard deviation √(2/fan_in) (for ReLU networks).</summary>
    HeNormal,

    /// <summary>Keras' <c>"lecun_normal"</c>: truncated normal with standard deviation √(1/fan_in) (for SELU-style networks).</summary>
    LeCunNormal,
}
