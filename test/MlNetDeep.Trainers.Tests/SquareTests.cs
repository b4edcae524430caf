using MlNetDeep.Native;
using MlNetDeep.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetDeep.Trainers.Tests;

/// <summary>
/// Losses.Square (x·x) replaced Tensor.square() (pow(2) through an implicitly converted Scalar, unsafe when another
/// thread collects): the squared errors, the L2 penalty's Σw² and their gradients must keep every bit.
/// </summary>
[TestClass]
public sealed class SquareTests
{
    private static float[] Values(Tensor t) => t.detach().data<float>().ToArray();

    private static (float[] Value, float[] Gradient) Run(float[] input, Func<Tensor, Tensor> square, bool sum)
    {
        using var scope = NewDisposeScope();
        var x = tensor(input).requires_grad_(true);
        var y = square(x);
        var loss = sum ? y.sum() : y.mul(tensor(Enumerable.Range(0, input.Length).Select(i => 0.5f + i % 7).ToArray())).mean();
        loss.backward();
        return (Values(sum ? loss : y), Values(x.grad!));
    }

    private static float[] Inputs(int seed)
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, 20_000).Select(_ => (float)(random.NextDouble() * 2 - 1) * MathF.Pow(10, random.Next(-20, 19))).ToList();
        values.AddRange(new[] { 0f, -0f, 1f, -1f, 3e19f, -3e19f, 1e-30f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon });
        return values.ToArray();
    }

    [TestMethod]
    public void Square_ValuesAndGradients_BitIdenticalToPow2()
    {
        LibTorchRuntime.EnsureLoaded();
        using var two = 2.ToScalar(); // what Tensor.square() passes, held alive here
        foreach (bool sum in new[] { false, true })
        {
            var input = Inputs(sum ? 2 : 1);
            var (powValue, powGradient) = Run(input, x => x.pow(two), sum);
            var (mulValue, mulGradient) = Run(input, Losses.Square, sum);
            CollectionAssert.AreEqual(powValue.Select(BitConverter.SingleToInt32Bits).ToArray(), mulValue.Select(BitConverter.SingleToInt32Bits).ToArray(), $"values (sum {sum})");
            CollectionAssert.AreEqual(powGradient.Select(BitConverter.SingleToInt32Bits).ToArray(), mulGradient.Select(BitConverter.SingleToInt32Bits).ToArray(), $"gradients (sum {sum})");
            Assert.IsTrue(mulGradient.Count(g => g != 0 && float.IsFinite(g)) > input.Length / 2, "most gradients are finite and non-zero: the comparison saw real numbers");
        }
    }
}
