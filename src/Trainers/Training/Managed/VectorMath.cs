using System.Numerics;
using System.Runtime.CompilerServices;
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    /// <summary>Σ values: <see cref="Vector{T}"/>-wide partial sums, then the tail (the order <see cref="Dot"/> sums in).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Sum(ReadOnlySpan<float> values)
    {
        int i = 0;
        float sum = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
        {
            var v = MemoryMarshal.Cast<float, Vector<float>>(values);
            var acc = Vector<float>.Zero;
            for (int k = 0; k < v.Length; k++)
                acc += v[k];
            sum = Vector.Sum(acc);
            i = v.Length * Vector<float>.Count;
        }
        for (; i < values.Length; i++)
            sum += values[i];
        return sum;
    }

    /// <summary>y[i] += alpha·x[i] over equally long spans.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    /// <summary>
    /// The dot products of four rows with one vector (<paramref name="b"/>), each summed exactly as <see cref="Dot"/>
    /// sums it (the same bits), while <paramref name="b"/> is loaded once for the four.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dot4(ReadOnlySpan<float> a0, ReadOnlySpan<float> a1, ReadOnlySpan<float> a2, ReadOnlySpan<float> a3, ReadOnlySpan<float> b,
        out float s0, out float s1, out float s2, out float s3)
    {
        int n = b.Length, i = 0;
        s0 = s1 = s2 = s3 = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
            var v0 = MemoryMarshal.Cast<float, Vector<float>>(a0[..n]);
            var v1 = MemoryMarshal.Cast<float, Vector<float>>(a1[..n]);
            var v2 = MemoryMarshal.Cast<float, Vector<float>>(a2[..n]);
            var v3 = MemoryMarshal.Cast<float, Vector<float>>(a3[..n]);
            Vector<float> c0 = Vector<float>.Zero, c1 = c0, c2 = c0, c3 = c0;
            for (int k = 0; k < vb.Length; k++)
            {
                var w = vb[k];
                c0 += v0[k] * w;
                c1 += v1[k] * w;
                c2 += v2[k] * w;
                c3 += v3[k] * w;
            }
            (s0, s1, s2, s3) = (Vector.Sum(c0), Vector.Sum(c1), Vector.Sum(c2), Vector.Sum(c3));
            i = vb.Length * Vector<float>.Count;
        }
        for (; i < n; i++)
        {
            s0 += a0[i] * b[i];
            s1 += a1[i] * b[i];
            s2 += a2[i] * b[i];
            s3 += a3[i] * b[i];
        }
    }

    /// <summary>
    /// y[i] += α₀·x₀[i], then += α₁·x₁[i], += α₂·x₂[i], += α₃·x₃[i]: four <see cref="Axpy"/> calls in that order (the
    /// same bits) with y loaded and stored once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Axpy4(float alpha0, ReadOnlySpan<float> x0, float alpha1, ReadOnlySpan<float> x1, float alpha2, ReadOnlySpan<float> x2,
        float alpha3, ReadOnlySpan<float> x3, Span<float> y)
    {
        int n = y.Length, i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
            var v0 = MemoryMarshal.Cast<float, Vector<float>>(x0[..n]);
            var v1 = MemoryMarshal.Cast<float, Vector<float>>(x1[..n]);
            var v2 = MemoryMarshal.Cast<float, Vector<float>>(x2[..n]);
            var v3 = MemoryMarshal.Cast<float, Vector<float>>(x3[..n]);
            Vector<float> a0 = new(alpha0), a1 = new(alpha1), a2 = new(alpha2), a3 = new(alpha3);
            for (int k = 0; k < vy.Length; k++)
                vy[k] = vy[k] + a0 * v0[k] + a1 * v1[k] + a2 * v2[k] + a3 * v3[k];
            i = vy.Length * Vector<float>.Count;
        }
        for (; i < n; i++)
            y[i] = y[i] + alpha0 * x0[i] + alpha1 * x1[i] + alpha2 * x2[i] + alpha3 * x3[i];
    }
}
