using System.Runtime.InteropServices;

namespace MlNetDeep.Native;

/// <summary>
/// MKL's float matrix product (the Fortran <c>sgemm_</c>, which libtorch_cpu exports and which libtorch's own
/// <c>mm</c>/<c>addmm</c> call on CPU) on row-major managed spans, for the managed training engine's batched path.
/// A row-major C = op(A)·op(B) is the column-major Cᵀ = op(B)ᵀ·op(A)ᵀ, so the operands are passed swapped. Used only
/// where a one-time check found the function and its products equal to a naive product within float tolerance;
/// elsewhere (other platforms or libtorch builds) <see cref="IsAvailable"/> is false and the caller keeps its own path.
/// </summary>
internal static unsafe class MklGemm
{
    private static readonly Lazy<bool> Available = new(Probe, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly AsyncLocal<bool> Hidden = new();

    /// <summary>Whether <see cref="Multiply"/> may be called: the export exists and passed the probe (and no test hides it).</summary>
    public static bool IsAvailable => !Hidden.Value && Available.Value;

    /// <summary>
    /// Makes <see cref="IsAvailable"/> false for the calling flow of execution (tests of the fallback, as on a platform
    /// without the export); dispose to undo.
    /// </summary>
    internal static IDisposable HideForTests()
    {
        bool before = Hidden.Value;
        Hidden.Value = true;
        return new Restore(() => Hidden.Value = before);
    }

    /// <summary>
    /// C ← α·op(A)·op(B) + β·C on row-major matrices: op(A) is m × k (A stored k × m when <paramref name="transposeA"/>),
    /// op(B) k × n (B stored n × k when <paramref name="transposeB"/>), C m × n; lda, ldb, ldc are the stored row
    /// lengths. Only when <see cref="IsAvailable"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A size is negative, a row length is shorter than its row, or a span is shorter than its matrix.</exception>
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentException($"Invalid matrix sizes: expected m, n, k >= 0. Received: m={m}, n={n}, k={k}.");
        (int aRows, int aCols) = transposeA ? (k, m) : (m, k);
        (int bRows, int bCols) = transposeB ? (n, k) : (k, n);
        Check(nameof(a), a.Length, aRows, aCols, lda);
        Check(nameof(b), b.Length, bRows, bCols, ldb);
        Check(nameof(c), c.Length, m, n, ldc);
        if (m == 0 || n == 0)
            return;
        // Fortran integers by reference: 64-bit cells hold the value in their low half (little-endian), so an LP64
        // MKL (32-bit integers, libtorch's) and an ILP64 one read the same numbers
        long mm = n, nn = m, kk = k, la = ldb, lb = lda, lc = ldc;
        byte ta = transposeB ? (byte)'T' : (byte)'N', tb = transposeA ? (byte)'T' : (byte)'N';
        fixed (float* pa = a, pb = b, pc = c)
        {
            if (k == 0)
            {
                // no product: C ← β·C, which MKL also does, but without touching empty operands
                for (int r = 0; r < m; r++)
                {
                    for (int j = 0; j < n; j++)
                        pc[(long)r * ldc + j] = beta == 0 ? 0 : beta * pc[(long)r * ldc + j];
                }
                return;
            }
            Sgemm(&ta, &tb, &mm, &nn, &kk, &alpha, pb, &la, pa, &lb, &beta, pc, &lc);
        }
    }

    /// <summary>Sets MKL's thread count for the calling thread (0 restores the global setting); returns the previous local count.</summary>
    public static int SetThreadsLocal(int threads) => SetNumThreadsLocal(threads);

    private static void Check(string name, int length, int rows, int cols, int rowLength)
    {
        if (rowLength < Math.Max(1, cols))
            throw new ArgumentException($"Invalid row length of {name}: expected at least {Math.Max(1, cols)}. Received: {rowLength}.", name);
        long needed = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * rowLength + cols;
        if (length < needed)
            throw new ArgumentException($"Invalid span {name}: expected at least {needed} values for {rows} x {cols} with row length {rowLength}. Received: {length}.", name);
    }

    /// <summary>
    /// Looks the functions up and compares all four transpose combinations on odd shapes with a naive product in double
    /// (a wrong calling convention or integer width gives garbage, never a near match).
    /// </summary>
    private static bool Probe()
    {
        try
        {
            LibTorchRuntime.EnsureLoaded();
            int previous = SetNumThreadsLocal(1);
            try
            {
                var random = new Random(13);
                const int m = 7, n = 5, k = 9;
                var a = Enumerable.Range(0, m * k).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
                var b = Enumerable.Range(0, k * n).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
                foreach (bool ta in new[] { false, true })
                {
                    foreach (bool tb in new[] { false, true })
                    {
                        var c = new float[m * n];
                        Multiply(ta, tb, m, n, k, 1f, a, ta ? m : k, b, tb ? k : n, 0f, c, n);
                        for (int r = 0; r < m; r++)
                        {
                            for (int j = 0; j < n; j++)
                            {
                                double sum = 0;
                                for (int i = 0; i < k; i++)
                                    sum += (double)a[ta ? i * m + r : r * k + i] * b[tb ? j * k + i : i * n + j];
                                if (!(Math.Abs(sum - c[r * n + j]) <= 1e-5))
                                    return false;
                            }
                        }
                    }
                }
                return true;
            }
            finally
            {
                SetNumThreadsLocal(previous);
            }
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    // void sgemm_(const char* transa, const char* transb, const MKL_INT* m, n, k, const float* alpha, const float* a,
    // const MKL_INT* lda, const float* b, const MKL_INT* ldb, const float* beta, float* c, const MKL_INT* ldc)
    [DllImport("torch_cpu", EntryPoint = "sgemm_")]
    private static extern void Sgemm(byte* transa, byte* transb, long* m, long* n, long* k, float* alpha, float* a, long* lda,
        float* b, long* ldb, float* beta, float* c, long* ldc);

    // int MKL_Set_Num_Threads_Local(int nt), what mkl_service.h's mkl_set_num_threads_local names in C (the export named
    // mkl_set_num_threads_local itself is the Fortran interface, which takes the count by reference)
    [DllImport("torch_cpu", EntryPoint = "MKL_Set_Num_Threads_Local")]
    private static extern int SetNumThreadsLocal(int threads);
}
