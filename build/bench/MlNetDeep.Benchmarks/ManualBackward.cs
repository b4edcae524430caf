using MlNetDeep.Native;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// Would a backward written by hand beat autograd on the lecture's model (issue 13)? One batch of 128 random rows through
/// 784 → 512 → 10: autograd's forward, loss and backward, against a forward under no_grad, autograd only for the loss
/// head (on the detached logits, so its gradient is autograd's), and the layers' gradients by TorchSharp calls (mm,
/// sum over rows, the relu mask), interleaved batch by batch, thread CPU time over 6 × 200 batches. Checks that every
/// gradient has autograd's bits (once per 200 batches).
/// </summary>
internal static class ManualBackward
{
    public static int Run(IReadOnlyList<string> arguments)
    {
        LibTorchRuntime.EnsureLoaded();
        torch.set_num_threads(1);
        LibTorchRuntime.TrySetFlushDenormal(true);
        using var generator = new Generator(1, CPU);
        using var half = 0.5.ToScalar();
        using var tenth = 0.1.ToScalar();
        using var zero = 0.0.ToScalar();
        var x = rand(new long[] { 128, 784 }, generator: generator);
        var w0 = rand(new long[] { 512, 784 }, generator: generator).sub_(half).mul_(tenth).requires_grad_(true);
        var b0 = rand(new long[] { 512 }, generator: generator).sub_(half).mul_(tenth).requires_grad_(true);
        var w1 = rand(new long[] { 10, 512 }, generator: generator).sub_(half).requires_grad_(true);
        var b1 = rand(new long[] { 10 }, generator: generator).sub_(half).requires_grad_(true);
        var y = randint(0, 10, new long[] { 128 }, generator: generator);
        double tAuto = 0, tManual = 0;
        int differ = 0;
        for (int round = 0; round < 6; round++)
        {
            for (int i = 0; i < 200; i++)
            {
                using var scope = NewDisposeScope();
                double m0 = EpochParts.ThreadCpuSeconds();
                var o = F.linear(F.relu(F.linear(x, w0, b0)), w1, b1);
                var loss = F.cross_entropy(o, y, reduction: nn.Reduction.None).mean();
                loss.backward();
                double m1 = EpochParts.ThreadCpuSeconds();
                Tensor gw0, gb0, gw1, gb1;
                Tensor a, logits;
                using (no_grad())
                {
                    a = F.relu(F.linear(x, w0, b0));
                    logits = F.linear(a, w1, b1);
                }
                var leaf = logits.requires_grad_(true);
                var loss2 = F.cross_entropy(leaf, y, reduction: nn.Reduction.None).mean();
                loss2.backward();
                using (no_grad())
                {
                    var go = leaf.grad!;
                    gw1 = go.t().mm(a);
                    gb1 = go.sum(0L); // a long: sum(0) would bind to sum(ScalarType) and give a Byte tensor
                    var ga = go.mm(w1);
                    var gh = ga.mul(a.gt(zero));
                    gw0 = gh.t().mm(x);
                    gb0 = gh.sum(0L);
                }
                double m2 = EpochParts.ThreadCpuSeconds();
                tAuto += m1 - m0;
                tManual += m2 - m1;
                if (i == 0)
                {
                    foreach (var (p, g) in new[] { (w0, gw0), (b0, gb0), (w1, gw1), (b1, gb1) })
                    {
                        if (!p.grad!.data<float>().ToArray().Select(BitConverter.SingleToInt32Bits).SequenceEqual(g.data<float>().ToArray().Select(BitConverter.SingleToInt32Bits)))
                            differ++;
                    }
                }
                foreach (var p in new[] { w0, b0, w1, b1 })
                {
                    p.grad?.Dispose();
                    p.grad = null;
                }
            }
        }
        Console.WriteLine($"forward+loss+backward per batch: autograd {tAuto / 1200 * 1e6:F1} µs, no_grad forward + loss head + manual backward {tManual / 1200 * 1e6:F1} µs; gradients differing in bits (6 checks x 4 params): {differ}");
        return 0;
    }
}
