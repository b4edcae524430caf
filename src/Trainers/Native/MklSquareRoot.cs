using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetDeep.Native;

/// <summary>
/// libtorch's float square root, called on a span of managed memory. libtorch's x86-64 builds compute
/// <c>Tensor.sqrt_</c> with MKL's vector square root (<c>vmsSqrt</c> in high-accuracy mode), which is not correctly
/// rounded: 1 ulp off for ~0.65% of inputs, so no managed square root gives its bits. Calling the same MKL function,
/// which libtorch_cpu exports, on a few hundred values at a time lets the fused RMSprop step take its square root inside
/// its one pass over the parameters while the values are still in the L1 cache, instead of a pass of its own through a
/// tensor. Used only where a one-time check found the function and its results bit-identical to libtorch's
/// <c>sqrt_</c>; elsewhere (other platforms or libtorch builds) <see cref="IsAvailable"/> is false and the caller keeps
/// libtorch's operation.
/// </summary>
internal static unsafe class MklSquareRoot
{
    // ATen's vml.h calls MKL with VML_HA | VML_FTZDAZ_OFF | VML_ERRMODE_IGNORE (mkl_vml_defines.h values)
    private const long Mode = 0x2 | 0x140000 | 0x100;

    private static readonly Lazy<bool> Available = new(Probe, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Whether <see cref="Compute"/> may be called: the function exists and matched libtorch's sqrt_ bit for bit.</summary>
    public static bool IsAvailable => Available.Value;

    /// <summary>Replaces each value by its square root, as libtorch's <c>sqrt_</c> would. Only when <see cref="IsAvailable"/>.</summary>
    public static void Compute(Span<float> values)
    {
        if (values.IsEmpty)
            return;
        fixed (float* p = values)
            VmsSqrt(values.Length, p, p, Mode);
    }

    /// <summary>
    /// Looks the function up and compares it with libtorch's sqrt_ on 65,536 values spread log-uniformly over 1e-30 to
    /// 1e30 (several hundred of which MKL rounds differently from a correctly rounded square root), plus 0, 1 and ∞.
    /// </summary>
    private static bool Probe()
    {
        try
        {
            LibTorchRuntime.EnsureLoaded();
            var values = new float[65536 + 3];
            for (int i = 0; i < 65536; i++)
                values[i] = (float)Math.Pow(10, -30 + 60.0 * (i + 0.5) / 65536);
            values[65536] = 0;
            values[65537] = 1;
            values[65538] = float.PositiveInfinity;
            float[] theirs;
            using (var scope = NewDisposeScope())
                theirs = tensor(values).sqrt_().data<float>().ToArray();
            var ours = (float[])values.Clone();
            Compute(ours);
            for (int i = 0; i < values.Length; i++)
            {
                if (BitConverter.SingleToInt32Bits(ours[i]) != BitConverter.SingleToInt32Bits(theirs[i]))
                    return false;
            }
            return true;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    // void vmsSqrt(const MKL_INT n, const float a[], float r[], MKL_INT64 mode), LP64 (32-bit n), exported by libtorch_cpu
    [DllImport("torch_cpu", EntryPoint = "vmsSqrt")]
    private static extern void VmsSqrt(int n, float* a, float* r, long mode);
}
