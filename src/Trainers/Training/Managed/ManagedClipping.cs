using System.Runtime.CompilerServices;
namespace MlNetDeep.Training.Managed;

/// <summary>
/// <see cref="GradientClipping"/> on the managed gradients, each kernel and bias on its own: by norm,
/// g ← (g·c) / ‖g‖₂ when the float norm exceeds c; by value, every element into [−c, c].
/// </summary>
internal static class ManagedClipping
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply(DenseNetworkOptions options, ManagedNetwork network)
    {
        if (options.GradientClipNorm is double limit)
        {
            float limitf = (float)limit;
            foreach (var (_, g) in network.Parameters())
            {
                double squares = 0;
                foreach (float v in g)
                    squares += (double)v * v;
                float norm = (float)Math.Sqrt(squares);
                if (norm > limit)
                {
                    for (int i = 0; i < g.Length; i++)
                        g[i] = g[i] * limitf / norm;
                }
            }
        }
        else if (options.GradientClipValue is double value)
        {
            float high = (float)value, low = (float)-value;
            foreach (var (_, g) in network.Parameters())
            {
                for (int i = 0; i < g.Length; i++)
                    g[i] = Math.Clamp(g[i], low, high);
            }
        }
    }
}
