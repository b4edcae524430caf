using TorchSharp;
using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>
/// Fills a Dense kernel [fan_out, fan_in] with Keras' variance-scaling initializers, drawing from the given generator
/// (TorchSharp 0.107's nn.init functions ignore it; Tensor.uniform_ honors it).
/// </summary>
internal static class KernelInitialization
{
    /// <summary>Keras' correction: the standard deviation of a unit normal truncated at ±2 is 0.8796…, so the stddev is divided by it.</summary>
    public const double TruncatedNormalStd = 0.87962566103423978;

    /// <summary>Φ(−2) and Φ(2): the unit normal's cumulative probabilities at the truncation points.</summary>
    private const double LowerTail = 0.022750131948179195;
    private const double UpperTail = 1 - LowerTail;

    public static void Fill(Tensor weight, KernelInitializer initializer, int fanIn, int fanOut, Generator generator)
    {
        switch (initializer)
        {
            case KernelInitializer.GlorotUniform:
                // the exact calls of the first release, so seeded default runs keep their bits
                double limit = Math.Sqrt(6.0 / (fanIn + fanOut));
                weight.uniform_(-limit, limit, generator);
                break;
            case KernelInitializer.HeUniform:
                double heLimit = Math.Sqrt(6.0 / fanIn);
                weight.uniform_(-heLimit, heLimit, generator);
                break;
            case KernelInitializer.GlorotNormal:
                TruncatedNormal(weight, Math.Sqrt(2.0 / (fanIn + fanOut)) / TruncatedNormalStd, generator);
                break;
            case KernelInitializer.HeNormal:
                TruncatedNormal(weight, Math.Sqrt(2.0 / fanIn) / TruncatedNormalStd, generator);
                break;
            case KernelInitializer.LeCunNormal:
                TruncatedNormal(weight, Math.Sqrt(1.0 / fanIn) / TruncatedNormalStd, generator);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(initializer), initializer, "Unknown kernel initializer.");
        }
    }

    /// <summary>
    /// Normal(0, stddev) truncated at ±2·stddev, by inverting the normal CDF of a uniform draw between Φ(−2) and Φ(2)
    /// (one draw per weight, so the generator advances by the same amount whatever the values).
    /// </summary>
    private static void TruncatedNormal(Tensor weight, double stddev, Generator generator)
    {
        using var two = 2.0.ToScalar();
        using var one = 1.0.ToScalar();
        using var scale = (Math.Sqrt(2.0) * stddev).ToScalar();
        using var low = (-2 * stddev).ToScalar();
        using var high = (2 * stddev).ToScalar();
        // u ~ U(Φ(−2), Φ(2)); z = √2·erfinv(2u − 1) ~ N(0, 1) truncated at ±2
        weight.uniform_(LowerTail, UpperTail, generator).mul_(two).sub_(one).erfinv_().mul_(scale).clamp_(low, high);
    }
}
