using MlNetDeep.Training.Managed;

namespace MlNetDeep.Trainers.Tests;

/// <summary>The managed engine's blocked kernels give the bits of their one-row forms (a seeded run must not depend on how rows fall into blocks of four).</summary>
[TestClass]
public sealed class VectorMathTests
{
    private static float[] Values(Random r, int n) => Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() * 2 - 1) * (r.Next(3) == 0 ? 1e4f : 1f)).ToArray();

    [TestMethod]
    [DataRow(1)]
    [DataRow(7)]
    [DataRow(8)]
    [DataRow(30)]
    [DataRow(784)]
    public void Dot4_EqualsFourDots_BitForBit(int n)
    {
        var r = new Random(n);
        var (a0, a1, a2, a3, b) = (Values(r, n), Values(r, n), Values(r, n), Values(r, n), Values(r, n));
        VectorMath.Dot4(a0, a1, a2, a3, b, out float s0, out float s1, out float s2, out float s3);
        Assert.AreEqual(VectorMath.Dot(a0, b), s0);
        Assert.AreEqual(VectorMath.Dot(a1, b), s1);
        Assert.AreEqual(VectorMath.Dot(a2, b), s2);
        Assert.AreEqual(VectorMath.Dot(a3, b), s3);
        double exact = 0;
        for (int i = 0; i < n; i++)
            exact += (double)a0[i] * b[i];
        Assert.AreEqual(exact, s0, 1e-5 * a0.Zip(b, (x, y) => Math.Abs((double)x * y)).Sum() + 1e-30, "and it is the dot product");
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(9)]
    [DataRow(16)]
    [DataRow(30)]
    [DataRow(784)]
    public void Axpy4_EqualsFourAxpysInOrder_BitForBit(int n)
    {
        var r = new Random(n);
        var (x0, x1, x2, x3, y) = (Values(r, n), Values(r, n), Values(r, n), Values(r, n), Values(r, n));
        var expected = (float[])y.Clone();
        VectorMath.Axpy(0.3f, x0, expected);
        VectorMath.Axpy(-1.7f, x1, expected);
        VectorMath.Axpy(2.5f, x2, expected);
        VectorMath.Axpy(1e-3f, x3, expected);
        VectorMath.Axpy4(0.3f, x0, -1.7f, x1, 2.5f, x2, 1e-3f, x3, y);
        CollectionAssert.AreEqual(expected, y);
    }
}
