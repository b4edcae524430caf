using MlNetDeep.Native;
using MlNetDeep.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetDeep.Trainers.Tests;

/// <summary>
/// The training loop counts correct predictions in managed code (<see cref="Losses.CountCorrect"/>); the count must be
/// libtorch's (<see cref="Losses.Correct"/>) on every kind of score: ties (argmax takes the first), NaN (the first NaN
/// wins), ±∞, and for binary a score of exactly 0 and a NaN score.
/// </summary>
[TestClass]
public sealed class CorrectCountTests
{
    private static Tensor Scores(int rows, int columns, int seed)
    {
        using var generator = new Generator((ulong)seed, CPU);
        // whole numbers in [-2, 2]: many ties; then NaN, +inf and -inf sprinkled in
        var values = rand(new long[] { rows, columns }, generator: generator).data<float>().ToArray().Select(v => (float)Math.Round(v * 4 - 2)).ToArray();
        var random = new Random(seed);
        for (int i = 0; i < values.Length; i++)
        {
            double u = random.NextDouble();
            values[i] = u < 0.05 ? float.NaN : u < 0.08 ? float.PositiveInfinity : u < 0.11 ? float.NegativeInfinity : values[i];
        }
        return tensor(values, new long[] { rows, columns });
    }

    [TestMethod]
    [DataRow(2)]
    [DataRow(3)]
    [DataRow(10)]
    public void Multiclass_EqualsLibTorchArgMaxCount(int classes)
    {
        LibTorchRuntime.EnsureLoaded();
        for (int seed = 1; seed <= 20; seed++)
        {
            using var scope = NewDisposeScope();
            var scores = Scores(257, classes, seed);
            var targets = tensor(Enumerable.Range(0, 257).Select(i => (long)((i * 7 + seed) % classes)).ToArray());
            long expected = Losses.Correct(NetworkTask.Multiclass, scores, targets).item<long>();
            Assert.AreEqual(expected, Losses.CountCorrect(NetworkTask.Multiclass, scores, targets), $"{classes} classes, seed {seed}");
            Assert.AreEqual(expected, Losses.CountCorrect(NetworkTask.Multiclass, scores.t().contiguous().t(), targets), $"{classes} classes, seed {seed}, a non-contiguous view (libtorch's count)");
        }
    }

    [TestMethod]
    public void Binary_EqualsLibTorchSignCount()
    {
        LibTorchRuntime.EnsureLoaded();
        for (int seed = 1; seed <= 20; seed++)
        {
            using var scope = NewDisposeScope();
            var scores = Scores(300, 1, seed); // includes exact zeros, which predict 0
            var targets = tensor(Enumerable.Range(0, 300).Select(i => (i * 5 + seed) % 3 == 0 ? 1f : 0f).ToArray());
            long expected = Losses.Correct(NetworkTask.Binary, scores, targets).item<long>();
            Assert.AreEqual(expected, Losses.CountCorrect(NetworkTask.Binary, scores, targets), $"seed {seed}");
        }
    }

    [TestMethod]
    public void Multiclass_KnownScores_CountsFirstMaximumAndFirstNaN()
    {
        LibTorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var scores = tensor(new[] { 1f, 3f, 3f, /* tie: class 1 */ float.NaN, 5f, float.NaN, /* NaN first: class 0 */ 0f, float.NegativeInfinity, float.PositiveInfinity /* class 2 */ }, new long[] { 3, 3 });
        Assert.AreEqual(3L, Losses.CountCorrect(NetworkTask.Multiclass, scores, tensor(new[] { 1L, 0L, 2L })));
        Assert.AreEqual(0L, Losses.CountCorrect(NetworkTask.Multiclass, scores, tensor(new[] { 2L, 1L, 0L })));
    }
}
