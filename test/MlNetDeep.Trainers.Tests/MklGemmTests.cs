using MlNetDeep.Native;
using static TorchSharp.torch;

namespace MlNetDeep.Trainers.Tests;

/// <summary>
/// The binding of MKL's sgemm (exported by libtorch_cpu): row-major products with every transpose combination against a
/// naive product in double, on odd shapes (1-wide, tails past any vector width), with α, β and row lengths longer than
/// the rows; sgemm called as libtorch's Linear and its backward call it, against libtorch's addmm/mm bit for bit
/// (libtorch's products are this function's); and
/// clear errors for sizes that do not fit their spans.
/// </summary>
[TestClass]
public sealed class MklGemmTests
{
    private static float[] Values(Random r, int n) => Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray();

    [TestMethod]
    public void IsAvailable_WithTheLibTorchOfTheseTests() => Assert.IsTrue(MklGemm.IsAvailable, "libtorch-cpu-linux-x64 2.10 exports sgemm_");

    [TestMethod]
    [DataRow(1, 1, 1)]
    [DataRow(1, 17, 3)]
    [DataRow(5, 1, 9)]
    [DataRow(7, 5, 1)]
    [DataRow(33, 19, 65)]
    [DataRow(128, 10, 512)]
    public void Multiply_EveryTranspose_EqualsANaiveProduct(int m, int n, int k)
    {
        var r = new Random(m * 1000 + n * 10 + k);
        const int pad = 3; // row lengths longer than the rows: the padding must be skipped, and left alone in C
        foreach (bool ta in new[] { false, true })
        {
            foreach (bool tb in new[] { false, true })
            {
                int lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
                var a = Values(r, (ta ? k : m) * lda);
                var b = Values(r, (tb ? n : k) * ldb);
                var c = Values(r, m * ldc);
                var before = (float[])c.Clone();
                const float alpha = 0.75f, beta = -1.5f;
                MklGemm.Multiply(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
                for (int i = 0; i < m; i++)
                {
                    for (int j = 0; j < ldc; j++)
                    {
                        if (j >= n)
                        {
                            Assert.AreEqual(before[i * ldc + j], c[i * ldc + j], "padding untouched");
                            continue;
                        }
                        double sum = 0, magnitude = 0;
                        for (int p = 0; p < k; p++)
                        {
                            double product = (double)a[ta ? p * lda + i : i * lda + p] * b[tb ? j * ldb + p : p * ldb + j];
                            sum += product;
                            magnitude += Math.Abs(product);
                        }
                        double expected = alpha * sum + beta * (double)before[i * ldc + j];
                        Assert.AreEqual(expected, c[i * ldc + j], 1e-6 * (magnitude + 2) , $"ta={ta} tb={tb} C[{i},{j}]");
                    }
                }
            }
        }
    }

    [TestMethod]
    public void Multiply_BetaZero_IgnoresNaNInC_AndKZero_ScalesC()
    {
        var c = new[] { float.NaN, float.NaN };
        MklGemm.Multiply(false, false, 1, 2, 1, 1f, new[] { 2f }, 1, new[] { 3f, 4f }, 2, 0f, c, 2);
        CollectionAssert.AreEqual(new[] { 6f, 8f }, c);
        var d = new[] { 1f, 2f };
        MklGemm.Multiply(false, false, 1, 2, 0, 1f, Array.Empty<float>(), 1, Array.Empty<float>(), 2, 2f, d, 2);
        CollectionAssert.AreEqual(new[] { 2f, 4f }, d);
    }

    [TestMethod]
    public void Multiply_SpansTooShortOrBadRowLengths_ThrowSayingWhich()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => MklGemm.Multiply(false, false, 2, 2, 2, 1f, new float[3], 2, new float[4], 2, 0f, new float[4], 2));
        Assert.AreEqual("Invalid span a: expected at least 4 values for 2 x 2 with row length 2. Received: 3. (Parameter 'a')", e.Message);
        e = Assert.ThrowsExactly<ArgumentException>(() => MklGemm.Multiply(false, true, 2, 3, 2, 1f, new float[4], 2, new float[6], 1, 0f, new float[6], 3));
        Assert.AreEqual("Invalid row length of b: expected at least 2. Received: 1. (Parameter 'b')", e.Message);
        e = Assert.ThrowsExactly<ArgumentException>(() => MklGemm.Multiply(false, false, -1, 2, 2, 1f, new float[4], 2, new float[4], 2, 0f, new float[4], 2));
        Assert.AreEqual("Invalid matrix sizes: expected m, n, k >= 0. Received: m=-1, n=2, k=2.", e.Message);
    }

    [TestMethod]
    [DataRow(128, 784, 512)]
    [DataRow(128, 512, 10)]
    [DataRow(37, 30, 16)]
    [DataRow(1, 784, 512)]
    public void LayerProducts_AreLibTorchsAddmmAndMm_BitForBit(int batch, int inputs, int outputs)
    {
        // sgemm called as libtorch's Linear and its backward call it, on one thread: z = bias + x·Wᵀ (addmm),
        // dW = dzᵀ·x, dx = dz·W (the managed engine's output layer uses the first two as they are; its hidden layers
        // are kept transposed, so their products are the same sums blocked otherwise)
        var r = new Random(batch + inputs + outputs);
        var (x, w, bias, dz) = (Values(r, batch * inputs), Values(r, outputs * inputs), Values(r, outputs), Values(r, batch * outputs));
        int previous = get_num_threads();
        set_num_threads(1);
        try
        {
            using var scope = NewDisposeScope();
            var (tx, tw, tb, tdz) = (tensor(x, new long[] { batch, inputs }), tensor(w, new long[] { outputs, inputs }), tensor(bias), tensor(dz, new long[] { batch, outputs }));
            var theirZ = nn.functional.linear(tx, tw, tb).data<float>().ToArray();
            var theirDw = tdz.t().mm(tx).data<float>().ToArray();
            var theirDx = tdz.mm(tw).data<float>().ToArray();

            var z = new float[batch * outputs];
            for (int i = 0; i < batch; i++)
                bias.CopyTo(z, i * outputs);
            MklGemm.Multiply(false, true, batch, outputs, inputs, 1f, x, inputs, w, inputs, 1f, z, outputs);
            var dw = new float[outputs * inputs];
            MklGemm.Multiply(true, false, outputs, inputs, batch, 1f, dz, outputs, x, inputs, 0f, dw, inputs);
            var dx = new float[batch * inputs];
            MklGemm.Multiply(false, false, batch, inputs, outputs, 1f, dz, outputs, w, inputs, 0f, dx, inputs);
            CollectionAssert.AreEqual(theirZ, z, "forward");
            CollectionAssert.AreEqual(theirDw, dw, "kernel gradient");
            CollectionAssert.AreEqual(theirDx, dx, "input gradient");
        }
        finally
        {
            set_num_threads(previous);
        }
    }

    [TestMethod]
    public void SetThreadsLocal_ReturnsThePreviousCount_AndRestores()
    {
        int before = MklGemm.SetThreadsLocal(1);
        try
        {
            Assert.AreEqual(1, MklGemm.SetThreadsLocal(2));
            Assert.AreEqual(2, MklGemm.SetThreadsLocal(1));
        }
        finally
        {
            MklGemm.SetThreadsLocal(before);
        }
    }

    [TestMethod]
    public void HideForTests_MakesItUnavailable_OnlyUntilDisposed()
    {
        using (MklGemm.HideForTests())
            Assert.IsFalse(MklGemm.IsAvailable);
        Assert.IsTrue(MklGemm.IsAvailable);
    }
}
