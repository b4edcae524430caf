using Microsoft.ML;

namespace MlNetDeep;

/// <summary>Catalog entry points of noise-channel augmentation.</summary>
public static class NoiseChannelCatalog
{
    /// <summary>
    /// Appends <paramref name="numberOfChannels"/> channels of noise to a known-size Single vector; each row's noise is a
    /// fixed function of the seed and the row's values (see <see cref="NoiseChannelEstimator"/>).
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The column written: the input's slots then the channels.</param>
    /// <param name="inputColumnName">The known-size Single vector column; null means <paramref name="outputColumnName"/>.</param>
    /// <param name="numberOfChannels">How many channels; the default is 784.</param>
    /// <param name="kind">Their distribution; the default is uniform on [0, 1).</param>
    /// <param name="seed">The seed; the default is 0.</param>
    /// <returns>The estimator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> is null.</exception>
    /// <exception cref="ArgumentException">An argument is invalid; the message lists every one.</exception>
    public static NoiseChannelEstimator AppendNoiseChannels(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        int numberOfChannels = 784, NoiseKind kind = NoiseKind.Uniform, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new NoiseChannelEstimator(new NoiseChannelOptions
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            NumberOfChannels = numberOfChannels,
            Kind = kind,
            Seed = seed,
        });
    }

    /// <summary>Appends noise channels as <paramref name="options"/> say.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The options; copied, never written back.</param>
    /// <returns>The estimator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">One or more options are invalid; the message lists every one.</exception>
    public static NoiseChannelEstimator AppendNoiseChannels(this TransformsCatalog catalog, NoiseChannelOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new NoiseChannelEstimator(options);
    }
}
