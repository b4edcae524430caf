using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MlNetDeep.Training;

/// <summary>
/// Optimizer arithmetic as managed passes over a parameter's memory, each reading and writing every value once, where
/// the same update as libtorch operations is one pass (and one kernel dispatch) per operation. Every element goes
/// through the operations libtorch 2.10's x86-64 CPU kernels perform, in their order and with their float32
/// roundings: IEEE multiply, add and divide round identically in both, and where libtorch's compiler fused a multiply
/// and an add (addcmul) the pass fuses them too. The square root stays libtorch's: it calls MKL's vector square root,
/// which is not always correctly rounded (1 ulp off for ~0.6% of values), so no managed square root gives its bits.
/// FusedStepTests compares every step with the libtorch operations. Runs on the calling thread, under libtorch's
/// flush-to-zero setting for that thread, like libtorch's single-threaded kernels.
/// </summary>
internal static class FusedSteps
{
    /// <summary>
    /// RMSprop's first half: v ← fma((1−ρ)·g, g, v·ρ) and d ← v + ε, as libtorch computes
    /// <c>v.mul_(ρ).addcmul_(g, g, 1−ρ)</c> and <c>d.copy_(v).add_(ε)</c>. d's square root is taken next (libtorch's).
    /// </summary>
    public static void RmsPropVelocity(ReadOnlySpan<float> gradients, Span<float> velocities, Span<float> denominators, float rho, float oneMinusRho, float epsilon)
    {
        int n = CheckLengths(gradients.Length, velocities.Length, denominators.Length);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        ref float v = ref MemoryMarshal.GetReference(velocities);
        ref float d = ref MemoryMarshal.GetReference(denominators);
        int i = 0;
        if (Avx512F.IsSupported && Vector512.IsHardwareAccelerated)
        {
            var r = Vector512.Create(rho);
            var c = Vector512.Create(oneMinusRho);
            var e = Vector512.Create(epsilon);
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var gi = Vector512.LoadUnsafe(ref g, (nuint)i);
                var vi = Avx512F.FusedMultiplyAdd(c * gi, gi, Vector512.LoadUnsafe(ref v, (nuint)i) * r);
                vi.StoreUnsafe(ref v, (nuint)i);
                (vi + e).StoreUnsafe(ref d, (nuint)i);
            }
        }
        else if (Fma.IsSupported && Vector256.IsHardwareAccelerated)
        {
            var r = Vector256.Create(rho);
            var c = Vector256.Create(oneMinusRho);
            var e = Vector256.Create(epsilon);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var gi = Vector256.LoadUnsafe(ref g, (nuint)i);
                var vi = Fma.MultiplyAdd(c * gi, gi, Vector256.LoadUnsafe(ref v, (nuint)i) * r);
                vi.StoreUnsafe(ref v, (nuint)i);
                (vi + e).StoreUnsafe(ref d, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float gi = Unsafe.Add(ref g, i);
            float vi = MathF.FusedMultiplyAdd(oneMinusRho * gi, gi, Unsafe.Add(ref v, i) * rho);
            Unsafe.Add(ref v, i) = vi;
            Unsafe.Add(ref d, i) = vi + epsilon;
        }
    }

    /// <summary>w ← w + (s·g) / d, as libtorch computes <c>w.addcdiv_(g, d, s)</c> (no fused multiply-add: the division sits between).</summary>
    public static void AddQuotient(Span<float> weights, ReadOnlySpan<float> numerators, ReadOnlySpan<float> denominators, float scale)
    {
        int n = CheckLengths(weights.Length, numerators.Length, denominators.Length);
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float g = ref MemoryMarshal.GetReference(numerators);
        ref float d = ref MemoryMarshal.GetReference(denominators);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var s = Vector512.Create(scale);
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                (Vector512.LoadUnsafe(ref w, (nuint)i) + s * Vector512.LoadUnsafe(ref g, (nuint)i) / Vector512.LoadUnsafe(ref d, (nuint)i)).StoreUnsafe(ref w, (nuint)i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var s = Vector256.Create(scale);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                (Vector256.LoadUnsafe(ref w, (nuint)i) + s * Vector256.LoadUnsafe(ref g, (nuint)i) / Vector256.LoadUnsafe(ref d, (nuint)i)).StoreUnsafe(ref w, (nuint)i);
        }
        for (; i < n; i++)
            Unsafe.Add(ref w, i) += scale * Unsafe.Add(ref g, i) / Unsafe.Add(ref d, i);
    }

    private static int CheckLengths(int a, int b, int c) => a == b && b == c
        ? a
        : throw new ArgumentException($"The spans of one fused step must be equally long; received {a}, {b} and {c}.");
}
