namespace MlNetDeep;

/// <summary>The distribution of the channels <see cref="NoiseChannelEstimator"/> appends.</summary>
public enum NoiseKind
{
    /// <summary>Uniform on [0, 1) in steps of 2^-24 (the lecture's <c>np.random.random</c>).</summary>
    Uniform,

    /// <summary>Standard normal (mean 0, variance 1), by the Box–Muller transform of two uniform values.</summary>
    Gaussian,

    /// <summary>Exactly 0 (the lecture's zero channels, a control for the noise channels).</summary>
    Zeros,
}
