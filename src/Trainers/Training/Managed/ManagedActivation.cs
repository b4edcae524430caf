using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MlNetDeep.Training.Managed;

/// <summary>
/// The hidden layers' activations and their derivatives as libtorch computes them in float: relu passes the gradient
/// where the output is positive, tanh and sigmoid differentiate from their output, gelu (exact erf form,
/// 0.5·x·(1 + erf(x/√2))) from its input.
/// </summary>
internal static class ManagedActivation
{
    private const double InverseSqrt2 = 0.70710678118654752440;
    private const double InverseSqrt2Pi = 0.39894228040143267794;

    /// <summary>a = f(z), element by element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(Activation activation, ReadOnlySpan<float> z, Span<float> a)
    {
        switch (activation)
        {
            case Activation.Relu:
                ZeroWhereNotPositive(z, z, a); // NaN passes, as in libtorch
                break;
            case Activation.Tanh:
                for (int i = 0; i < z.Length; i++)
                    a[i] = MathF.Tanh(z[i]);
                break;
            case Activation.Sigmoid:
                for (int i = 0; i < z.Length; i++)
                    a[i] = (float)(1.0 / (1.0 + Math.Exp(-(double)z[i])));
                break;
            case Activation.Gelu:
                for (int i = 0; i < z.Length; i++)
                    a[i] = (float)(0.5 * z[i] * (1.0 + Erf(z[i] * InverseSqrt2)));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    /// <summary>g ← g·f′(z) in place, from the input <paramref name="z"/> and the output <paramref name="a"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(Activation activation, ReadOnlySpan<float> z, ReadOnlySpan<float> a, Span<float> g)
    {
        switch (activation)
        {
            case Activation.Relu:
                ZeroWhereNotPositive(a, g, g);
                break;
            case Activation.Tanh:
                for (int i = 0; i < g.Length; i++)
                    g[i] *= 1f - a[i] * a[i];
                break;
            case Activation.Sigmoid:
                for (int i = 0; i < g.Length; i++)
                    g[i] *= (1f - a[i]) * a[i];
                break;
            case Activation.Gelu:
                for (int i = 0; i < g.Length; i++)
                {
                    double x = z[i];
                    double cdf = 0.5 * (1.0 + Erf(x * InverseSqrt2));
                    g[i] = (float)(g[i] * (cdf + x * InverseSqrt2Pi * Math.Exp(-0.5 * x * x)));
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    /// <summary>result[i] = test[i] ≤ 0 ? 0 : value[i] (a NaN test keeps the value), <see cref="Vector{T}"/>-wide; result may be value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ZeroWhereNotPositive(ReadOnlySpan<float> test, ReadOnlySpan<float> value, Span<float> result)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vt = MemoryMarshal.Cast<float, Vector<float>>(test);
            var vv = MemoryMarshal.Cast<float, Vector<float>>(value[..test.Length]);
            var vr = MemoryMarshal.Cast<float, Vector<float>>(result[..test.Length]);
            for (int k = 0; k < vt.Length; k++)
                vr[k] = Vector.ConditionalSelect(Vector.LessThanOrEqual(vt[k], Vector<float>.Zero), Vector<float>.Zero, vv[k]);
            i = vt.Length * Vector<float>.Count;
        }
        for (; i < test.Length; i++)
            result[i] = test[i] <= 0 ? 0f : value[i];
    }

    /// <summary>
    /// The error function in double precision, from the Chebyshev fit of erfc (Press et al., Numerical Recipes §6.2:
    /// fractional error below 1.2e-7 everywhere), so gelu's 1 + erf is right to about one float ulp.
    /// </summary>
    internal static double Erf(double x)
    {
        double t = 1.0 / (1.0 + 0.5 * Math.Abs(x));
        double erfc = t * Math.Exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1.0 - erfc : erfc - 1.0;
    }
}
