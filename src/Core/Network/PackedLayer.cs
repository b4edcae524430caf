using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MlNetDeep.Network;

/// <summary>
/// A dense layer's kernel packed once for scoring: outputs are cut into panels of up to four SIMD vectors (64
/// outputs with 512-bit vectors, 32 with 256-bit ones), and each panel holds its kernel rows contiguously,
/// [input][panel width], padded with zero weights to a whole number of vectors. A panel's accumulators stay in
/// registers while the inputs stream past, so every weight is loaded once per row (one row) or once per four
/// rows (a block). Every output is summed in input order, one multiply-add per input, whatever the vector width
/// and whether one row or a block is scored, so a row gets the same bits from <see cref="ForwardRow"/> and
/// <see cref="ForwardRows"/> (inputs that are zero in the row contribute an exact zero), and the same bits as the
/// unpacked kernel of earlier releases: the multiply and the add are rounded separately, never fused (FMA changed
/// scores of saved models by an ulp, which the first-release zip test pins).
/// </summary>
internal sealed class PackedLayer
{
    /// <summary>Floats per SIMD vector on this machine (16, 8, or 1 without SIMD).</summary>
    public static readonly int Lanes = Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : 1;

    private const int PanelVectors = 4;

    private readonly AlignedFloats _packed;
    private readonly float[] _bias; // padded to Stride

    public PackedLayer(int inputs, int outputs, float[] weights, float[] bias)
    {
        Inputs = inputs;
        Outputs = outputs;
        Stride = (outputs + Lanes - 1) / Lanes * Lanes;
        _bias = new float[Stride];
        bias.AsSpan(0, outputs).CopyTo(_bias);
        _packed = new AlignedFloats(checked(Stride * inputs));
        int panel = PanelVectors * Lanes;
        for (int start = 0; start < Stride; start += panel)
        {
            int width = Math.Min(panel, Stride - start);
            var block = _packed.Span.Slice(start * inputs, width * inputs);
            for (int o = start; o < Math.Min(start + width, outputs); o++)
            {
                for (int k = 0; k < inputs; k++)
                    block[(k * width) + o - start] = weights[((long)o * inputs) + k];
            }
        }
    }

    public int Inputs { get; }

    public int Outputs { get; }

    /// <summary>Outputs padded to whole vectors: the row length of a block's output buffer.</summary>
    public int Stride { get; }

    /// <summary>y[0..Stride) = bias + Σ_j values[j]·W[:, indices[j]] over the row's listed inputs, in list order.</summary>
    public void ForwardRow(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, Span<float> y)
    {
        if (Lanes == 16)
            Row<Lanes512, Vector512<float>>(indices, values, y);
        else if (Lanes == 8)
            Row<Lanes256, Vector256<float>>(indices, values, y);
        else
            Row<Lanes1, float>(indices, values, y);
    }

    /// <summary>
    /// Scores <paramref name="rows"/> dense rows of <paramref name="x"/> (row r at r·<paramref name="xStride"/>) into
    /// <paramref name="y"/> (row r at r·<see cref="Stride"/>), four rows at a time, skipping inputs that are zero in
    /// all four rows. <paramref name="active"/> is scratch of at least 2·<see cref="Inputs"/> ints. With
    /// <paramref name="xRows"/>, output row r is input row <paramref name="xRows"/>[r] (<see cref="RowGroups"/>' order).
    /// </summary>
    public void ForwardRows(ReadOnlySpan<float> x, int xStride, int rows, Span<float> y, Span<int> active, ReadOnlySpan<int> xRows = default)
    {
        if (Lanes == 16)
            Rows<Lanes512, Vector512<float>>(x, xStride, rows, y, active, xRows);
        else if (Lanes == 8)
            Rows<Lanes256, Vector256<float>>(x, xStride, rows, y, active, xRows);
        else
            Rows<Lanes1, float>(x, xStride, rows, y, active, xRows);
    }

    private void Row<TL, TV>(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, Span<float> y)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        int panel = PanelVectors * Lanes;
        int count = indices.Length;
        ref float w0 = ref _packed.Start;
        ref float b = ref MemoryMarshal.GetArrayDataReference(_bias);
        ref float yr = ref MemoryMarshal.GetReference(y);
        ref int ir = ref MemoryMarshal.GetReference(indices);
        ref float vr = ref MemoryMarshal.GetReference(values);
        int start = 0;
        for (; start + (2 * panel) <= Stride; start += 2 * panel)
        {
            // two full panels at once: eight independent sums keep the adds' latency hidden
            ref float p = ref Unsafe.Add(ref w0, (nint)start * Inputs);
            ref float q = ref Unsafe.Add(ref w0, (nint)(start + panel) * Inputs);
            var a0 = TL.Load(ref Unsafe.Add(ref b, start));
            var a1 = TL.Load(ref Unsafe.Add(ref b, start + Lanes));
            var a2 = TL.Load(ref Unsafe.Add(ref b, start + (2 * Lanes)));
            var a3 = TL.Load(ref Unsafe.Add(ref b, start + (3 * Lanes)));
            var a4 = TL.Load(ref Unsafe.Add(ref b, start + panel));
            var a5 = TL.Load(ref Unsafe.Add(ref b, start + panel + Lanes));
            var a6 = TL.Load(ref Unsafe.Add(ref b, start + panel + (2 * Lanes)));
            var a7 = TL.Load(ref Unsafe.Add(ref b, start + panel + (3 * Lanes)));
            for (int j = 0; j < count; j++)
            {
                nint offset = (nint)Unsafe.Add(ref ir, j) * panel;
                ref float w = ref Unsafe.Add(ref p, offset);
                ref float v = ref Unsafe.Add(ref q, offset);
                var s = TL.Splat(Unsafe.Add(ref vr, j));
                a0 = TL.MulAdd(a0, s, TL.Load(ref w));
                a1 = TL.MulAdd(a1, s, TL.Load(ref Unsafe.Add(ref w, Lanes)));
                a2 = TL.MulAdd(a2, s, TL.Load(ref Unsafe.Add(ref w, 2 * Lanes)));
                a3 = TL.MulAdd(a3, s, TL.Load(ref Unsafe.Add(ref w, 3 * Lanes)));
                a4 = TL.MulAdd(a4, s, TL.Load(ref v));
                a5 = TL.MulAdd(a5, s, TL.Load(ref Unsafe.Add(ref v, Lanes)));
                a6 = TL.MulAdd(a6, s, TL.Load(ref Unsafe.Add(ref v, 2 * Lanes)));
                a7 = TL.MulAdd(a7, s, TL.Load(ref Unsafe.Add(ref v, 3 * Lanes)));
            }
            TL.Store(a0, ref Unsafe.Add(ref yr, start));
            TL.Store(a1, ref Unsafe.Add(ref yr, start + Lanes));
            TL.Store(a2, ref Unsafe.Add(ref yr, start + (2 * Lanes)));
            TL.Store(a3, ref Unsafe.Add(ref yr, start + (3 * Lanes)));
            TL.Store(a4, ref Unsafe.Add(ref yr, start + panel));
            TL.Store(a5, ref Unsafe.Add(ref yr, start + panel + Lanes));
            TL.Store(a6, ref Unsafe.Add(ref yr, start + panel + (2 * Lanes)));
            TL.Store(a7, ref Unsafe.Add(ref yr, start + panel + (3 * Lanes)));
        }
        for (; start < Stride; start += panel)
        {
            int width = Math.Min(panel, Stride - start);
            ref float p = ref Unsafe.Add(ref w0, (nint)start * Inputs);
            if (width == panel)
            {
                var a0 = TL.Load(ref Unsafe.Add(ref b, start));
                var a1 = TL.Load(ref Unsafe.Add(ref b, start + Lanes));
                var a2 = TL.Load(ref Unsafe.Add(ref b, start + (2 * Lanes)));
                var a3 = TL.Load(ref Unsafe.Add(ref b, start + (3 * Lanes)));
                for (int j = 0; j < count; j++)
                {
                    ref float w = ref Unsafe.Add(ref p, (nint)Unsafe.Add(ref ir, j) * panel);
                    var s = TL.Splat(Unsafe.Add(ref vr, j));
                    a0 = TL.MulAdd(a0, s, TL.Load(ref w));
                    a1 = TL.MulAdd(a1, s, TL.Load(ref Unsafe.Add(ref w, Lanes)));
                    a2 = TL.MulAdd(a2, s, TL.Load(ref Unsafe.Add(ref w, 2 * Lanes)));
                    a3 = TL.MulAdd(a3, s, TL.Load(ref Unsafe.Add(ref w, 3 * Lanes)));
                }
                TL.Store(a0, ref Unsafe.Add(ref yr, start));
                TL.Store(a1, ref Unsafe.Add(ref yr, start + Lanes));
                TL.Store(a2, ref Unsafe.Add(ref yr, start + (2 * Lanes)));
                TL.Store(a3, ref Unsafe.Add(ref yr, start + (3 * Lanes)));
            }
            else
            {
                for (int v = 0; v < width; v += Lanes)
                {
                    var a = TL.Load(ref Unsafe.Add(ref b, start + v));
                    for (int j = 0; j < count; j++)
                        a = TL.MulAdd(a, TL.Splat(Unsafe.Add(ref vr, j)), TL.Load(ref Unsafe.Add(ref p, ((nint)Unsafe.Add(ref ir, j) * width) + v)));
                    TL.Store(a, ref Unsafe.Add(ref yr, start + v));
                }
            }
        }
    }

    private void Rows<TL, TV>(ReadOnlySpan<float> x, int xStride, int rows, Span<float> y, Span<int> active, ReadOnlySpan<int> xRows)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        bool ordered = !xRows.IsEmpty;
        int panel = PanelVectors * Lanes;
        ref float w0 = ref _packed.Start;
        ref float b = ref MemoryMarshal.GetArrayDataReference(_bias);
        ref int act = ref MemoryMarshal.GetReference(active);
        int r = 0;
        for (; r + 4 <= rows; r += 4)
        {
            var x0 = x.Slice((ordered ? xRows[r] : r) * xStride, Inputs);
            var x1 = x.Slice((ordered ? xRows[r + 1] : r + 1) * xStride, Inputs);
            var x2 = x.Slice((ordered ? xRows[r + 2] : r + 2) * xStride, Inputs);
            var x3 = x.Slice((ordered ? xRows[r + 3] : r + 3) * xStride, Inputs);
            int count = 0;
            for (int k = 0; k < Inputs; k++)
            {
                if (x0[k] != 0f || x1[k] != 0f || x2[k] != 0f || x3[k] != 0f)
                    active[count++] = k;
            }
            ref float xr0 = ref MemoryMarshal.GetReference(x0);
            ref float xr1 = ref MemoryMarshal.GetReference(x1);
            ref float xr2 = ref MemoryMarshal.GetReference(x2);
            ref float xr3 = ref MemoryMarshal.GetReference(x3);
            var y0 = y.Slice(r * Stride, Stride);
            var y1 = y.Slice((r + 1) * Stride, Stride);
            var y2 = y.Slice((r + 2) * Stride, Stride);
            var y3 = y.Slice((r + 3) * Stride, Stride);
            for (int start = 0; start < Stride; start += panel)
            {
                int width = Math.Min(panel, Stride - start);
                ref float p = ref Unsafe.Add(ref w0, (nint)start * Inputs);
                if (width == panel)
                {
                    Panel4x4<TL, TV>(ref p, ref Unsafe.Add(ref b, start), ref act, count, ref xr0, ref xr1, ref xr2, ref xr3,
                        ref MemoryMarshal.GetReference(y0[start..]), ref MemoryMarshal.GetReference(y1[start..]),
                        ref MemoryMarshal.GetReference(y2[start..]), ref MemoryMarshal.GetReference(y3[start..]));
                }
                else
                {
                    for (int v = 0; v < width; v += Lanes)
                    {
                        var bias = TL.Load(ref Unsafe.Add(ref b, start + v));
                        TV a0 = bias, a1 = bias, a2 = bias, a3 = bias;
                        for (int j = 0; j < count; j++)
                        {
                            int k = Unsafe.Add(ref act, j);
                            var w = TL.Load(ref Unsafe.Add(ref p, ((nint)k * width) + v));
                            a0 = TL.MulAdd(a0, TL.Splat(Unsafe.Add(ref xr0, k)), w);
                            a1 = TL.MulAdd(a1, TL.Splat(Unsafe.Add(ref xr1, k)), w);
                            a2 = TL.MulAdd(a2, TL.Splat(Unsafe.Add(ref xr2, k)), w);
                            a3 = TL.MulAdd(a3, TL.Splat(Unsafe.Add(ref xr3, k)), w);
                        }
                        TL.Store(a0, ref MemoryMarshal.GetReference(y0[(start + v)..]));
                        TL.Store(a1, ref MemoryMarshal.GetReference(y1[(start + v)..]));
                        TL.Store(a2, ref MemoryMarshal.GetReference(y2[(start + v)..]));
                        TL.Store(a3, ref MemoryMarshal.GetReference(y3[(start + v)..]));
                    }
                }
            }
        }
        for (; r < rows; r++)
        {
            // the last rows one by one (their non-zeros listed in active[0..), the values gathered behind them)
            var xr = x.Slice((ordered ? xRows[r] : r) * xStride, Inputs);
            int count = 0;
            for (int k = 0; k < Inputs; k++)
            {
                if (xr[k] != 0f)
                    active[count++] = k;
            }
            var gathered = MemoryMarshal.Cast<int, float>(active.Slice(Inputs, count));
            for (int j = 0; j < count; j++)
                gathered[j] = xr[active[j]];
            Row<TL, TV>(active[..count], gathered, y.Slice(r * Stride, Stride));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Panel4x4<TL, TV>(ref float p, ref float b, ref int act, int count, ref float x0, ref float x1, ref float x2, ref float x3,
        ref float y0, ref float y1, ref float y2, ref float y3)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        int lanes = Lanes;
        int panel = PanelVectors * lanes;
        var b0 = TL.Load(ref b);
        var b1 = TL.Load(ref Unsafe.Add(ref b, lanes));
        var b2 = TL.Load(ref Unsafe.Add(ref b, 2 * lanes));
        var b3 = TL.Load(ref Unsafe.Add(ref b, 3 * lanes));
        TV a00 = b0, a01 = b1, a02 = b2, a03 = b3;
        TV a10 = b0, a11 = b1, a12 = b2, a13 = b3;
        TV a20 = b0, a21 = b1, a22 = b2, a23 = b3;
        TV a30 = b0, a31 = b1, a32 = b2, a33 = b3;
        for (int j = 0; j < count; j++)
        {
            int k = Unsafe.Add(ref act, j);
            ref float w = ref Unsafe.Add(ref p, (nint)k * panel);
            var w0 = TL.Load(ref w);
            var w1 = TL.Load(ref Unsafe.Add(ref w, lanes));
            var w2 = TL.Load(ref Unsafe.Add(ref w, 2 * lanes));
            var w3 = TL.Load(ref Unsafe.Add(ref w, 3 * lanes));
            var s = TL.Splat(Unsafe.Add(ref x0, k));
            a00 = TL.MulAdd(a00, s, w0);
            a01 = TL.MulAdd(a01, s, w1);
            a02 = TL.MulAdd(a02, s, w2);
            a03 = TL.MulAdd(a03, s, w3);
            s = TL.Splat(Unsafe.Add(ref x1, k));
            a10 = TL.MulAdd(a10, s, w0);
            a11 = TL.MulAdd(a11, s, w1);
            a12 = TL.MulAdd(a12, s, w2);
            a13 = TL.MulAdd(a13, s, w3);
            s = TL.Splat(Unsafe.Add(ref x2, k));
            a20 = TL.MulAdd(a20, s, w0);
            a21 = TL.MulAdd(a21, s, w1);
            a22 = TL.MulAdd(a22, s, w2);
            a23 = TL.MulAdd(a23, s, w3);
            s = TL.Splat(Unsafe.Add(ref x3, k));
            a30 = TL.MulAdd(a30, s, w0);
            a31 = TL.MulAdd(a31, s, w1);
            a32 = TL.MulAdd(a32, s, w2);
            a33 = TL.MulAdd(a33, s, w3);
        }
        Store4(ref y0, lanes, a00, a01, a02, a03);
        Store4(ref y1, lanes, a10, a11, a12, a13);
        Store4(ref y2, lanes, a20, a21, a22, a23);
        Store4(ref y3, lanes, a30, a31, a32, a33);

        static void Store4(ref float y, int lanes, TV a, TV b, TV c, TV d)
        {
            TL.Store(a, ref y);
            TL.Store(b, ref Unsafe.Add(ref y, lanes));
            TL.Store(c, ref Unsafe.Add(ref y, 2 * lanes));
            TL.Store(d, ref Unsafe.Add(ref y, 3 * lanes));
        }
    }
}

/// <summary>The few SIMD operations the packed kernels need, for one vector width (specialized by the JIT).</summary>
internal interface ILanes<TV>
    where TV : struct
{
    static abstract TV Load(ref float source);

    static abstract void Store(TV value, ref float destination);

    static abstract TV Splat(float value);

    /// <summary>acc + a·b, rounded twice and never fused: every width and every machine gives the bits models saved by earlier releases scored with.</summary>
    static abstract TV MulAdd(TV acc, TV a, TV b);
}

internal readonly struct Lanes512 : ILanes<Vector512<float>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source) => Vector512.LoadUnsafe(ref source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination) => value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Splat(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MulAdd(Vector512<float> acc, Vector512<float> a, Vector512<float> b) =>
        acc + (a * b);
}

internal readonly struct Lanes256 : ILanes<Vector256<float>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float source) => Vector256.LoadUnsafe(ref source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float destination) => value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Splat(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MulAdd(Vector256<float> acc, Vector256<float> a, Vector256<float> b) =>
        acc + (a * b);
}

internal readonly struct Lanes1 : ILanes<float>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(ref float source) => source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float value, ref float destination) => destination = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Splat(float value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MulAdd(float acc, float a, float b) => acc + (a * b);
}
