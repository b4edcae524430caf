using MlNetDeep.Native;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// What each operation of the lecture model's forward pass costs inside a training loop (issue 13): one batch of 128
/// random rows through 784 → 512 → 10 with autograd recording, each call timed on its own by thread CPU time, averaged
/// over 375 batches (one epoch's worth), three rounds; beside them the first layer's product without autograd and
/// relu in place. Then whether <c>cross_entropy</c> with its own mean reduction could replace per-row losses and
/// <c>mean()</c>: the two compared bit for bit (loss and gradient) and timed on 3,000 random batches.
/// </summary>
internal static class ForwardOps
{
    public static int Run(IReadOnlyList<string> arguments)
    {
        LibTorchRuntime.EnsureLoaded();
        torch.set_num_threads(1);
        LibTorchRuntime.TrySetFlushDenormal(true);
        using var generator = new Generator(1, CPU);
        var x = rand(new long[] { 128, 784 }, generator: generator);
        var w0 = rand(new long[] { 512, 784 }, generator: generator).requires_grad_(true);
        var b0 = rand(new long[] { 512 }, generator: generator).requires_grad_(true);
        var w1 = rand(new long[] { 10, 512 }, generator: generator).requires_grad_(true);
        var b1 = rand(new long[] { 10 }, generator: generator).requires_grad_(true);
        var y = randint(0, 10, new long[] { 128 }, generator: generator);
        var names = new[] { "linear0", "relu", "linear1", "cross_entropy", "mean", "backward", "linear0 no_grad", "linear0 + relu in place", "scope dispose" };
        var seconds = new double[names.Length];
        for (int round = 0; round < 3; round++)
        {
            Array.Clear(seconds);
            for (int i = 0; i < 375; i++)
            {
                using var scope = NewDisposeScope();
                double mark = EpochParts.ThreadCpuSeconds();
                void Lap(int part)
                {
                    double now = EpochParts.ThreadCpuSeconds();
                    seconds[part] += now - mark;
                    mark = now;
                }
                var h = F.linear(x, w0, b0);
                Lap(0);
                var a = F.relu(h);
                Lap(1);
                var o = F.linear(a, w1, b1);
                Lap(2);
                var perRow = F.cross_entropy(o, y, reduction: nn.Reduction.None);
                Lap(3);
                var loss = perRow.mean();
                Lap(4);
                loss.backward();
                Lap(5);
                using (no_grad())
                    F.linear(x, w0, b0);
                Lap(6);
                F.relu(F.linear(x, w0, b0), inplace: true);
                Lap(7);
                scope.Dispose();
                Lap(8);
                foreach (var p in new[] { w0, b0, w1, b1 })
                {
                    p.grad?.Dispose();
                    p.grad = null;
                }
            }
            Console.WriteLine("forward ops, µs per batch: " + string.Join(", ", names.Select((n, k) => FormattableString.Invariant($"{n} {seconds[k] * 1e6 / 375:F1}"))));
        }
        CompareMeanReduction(generator);
        return 0;
    }

    private static void CompareMeanReduction(Generator generator)
    {
        using var eight = 8.0.ToScalar();
        int lossDiffer = 0, gradientDiffer = 0;
        double perRowThenMean = 0, ownMean = 0;
        const int Batches = 3000;
        for (int i = 0; i < Batches; i++)
        {
            using var scope = NewDisposeScope();
            int rows = i % 3 == 0 ? 128 : 1 + i % 127;
            var o1 = randn(new long[] { rows, 10 }, generator: generator).mul_(eight).requires_grad_(true);
            var o2 = o1.detach().clone().requires_grad_(true);
            var y = randint(0, 10, new long[] { rows }, generator: generator);
            double start = EpochParts.ThreadCpuSeconds();
            var l1 = F.cross_entropy(o1, y, reduction: nn.Reduction.None).mean();
            l1.backward();
            double middle = EpochParts.ThreadCpuSeconds();
            var l2 = F.cross_entropy(o2, y);
            l2.backward();
            double end = EpochParts.ThreadCpuSeconds();
            perRowThenMean += middle - start;
            ownMean += end - middle;
            if (BitConverter.SingleToInt32Bits(l1.item<float>()) != BitConverter.SingleToInt32Bits(l2.item<float>()))
                lossDiffer++;
            if (!o1.grad!.data<float>().ToArray().Select(BitConverter.SingleToInt32Bits).SequenceEqual(o2.grad!.data<float>().ToArray().Select(BitConverter.SingleToInt32Bits)))
                gradientDiffer++;
        }
        Console.WriteLine(FormattableString.Invariant(
            $"cross_entropy per row then mean() vs its own mean reduction: the loss differs in {lossDiffer} of {Batches} random batches, the gradient in {gradientDiffer}; forward + backward {perRowThenMean / Batches * 1e6:F1} vs {ownMean / Batches * 1e6:F1} µs"));
    }
}
