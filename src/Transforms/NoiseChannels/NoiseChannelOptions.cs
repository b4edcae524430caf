namespace MlNetDeep;

/// <summary>Options of <see cref="NoiseChannelEstimator"/>: which column gets how many channels of which noise.</summary>
public sealed class NoiseChannelOptions
{
    /// <summary>The column written: the input's slots followed by the noise channels.</summary>
    /// <value>The default value is <c>"Features"</c>.</value>
    public string OutputColumnName { get; set; } = "Features";

    /// <summary>The known-size Single vector column to extend; null means <see cref="OutputColumnName"/> (replaced in place).</summary>
    /// <value>The default value is null.</value>
    public string? InputColumnName { get; set; }

    /// <summary>How many channels to append, 1 to 1,000,000.</summary>
    /// <value>The default value is 784 (the lecture doubles MNIST's 784 pixels).</value>
    public int NumberOfChannels { get; set; } = 784;

    /// <summary>The distribution of the channels.</summary>
    /// <value>The default value is <see cref="NoiseKind.Uniform"/>.</value>
    public NoiseKind Kind { get; set; } = NoiseKind.Uniform;

    /// <summary>The seed of the noise: the same seed gives the same noise for the same row, in every process.</summary>
    /// <value>The default value is 0.</value>
    public int Seed { get; set; }

    internal NoiseChannelOptions Clone() => (NoiseChannelOptions)MemberwiseClone();
}
