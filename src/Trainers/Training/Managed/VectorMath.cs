using System.Numerics;
using System.Runtime.InteropServices;

namespace MlNetDeep.Training.Managed;

/// <summary>
/// The few kernels the managed engine is made of, vectorized with <see cref="Vector{T}"/> (8 floats with AVX2) and
/// a scalar tail. No fused multiply-add and one fixed summation order, so the same inputs give the same bits on
/// every run on a machine.
/// </summary>
internal static class VectorMath
{
    /// <summary>Σ a[i]·b[i] over equally long spans.</summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int n = a.Length, i = 0;
        float sum = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            var va = MemoryMarshal.Cast<float, Vector<float>>(a);
            var vb = MemoryMarshal.Cast<float, Vector<float>>(b[..n]);
            var acc = Vector<float>.Zero;
            for (int k = 0; k < va.Length; k++)
                acc += va[k] * vb[k];
            sum = Vector.Sum(acc);
            i = va.Length * Vector<float>.Count;
        }
        for (; i < n; i++)
            sum += a[i] * b[i];
        return sum;
    }

    /// <summary>y[i] += alpha·x[i] over equally long spans.</summary>
    public static void Axpy(float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        int n = x.Length, i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
            var vy = MemoryMarshal.Cast<float, Vector<float>>(y[..n]);
            var va = new Vector<float>(alpha);
            for (int k = 0; k < vx.Length; k++)
                vy[k] += va * vx[k];
            i = vx.Length * Vector<float>.Count;
        }
        for (; i < n; i++)
            y[i] += alpha * x[i];
    }
}
