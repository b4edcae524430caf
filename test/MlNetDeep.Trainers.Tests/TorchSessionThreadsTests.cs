using MlNetDeep.Training;
using TorchSharp;

namespace MlNetDeep.Trainers.Tests;

/// <summary>
/// Parallel folds and trials rest on this: a fit's <see cref="DenseNetworkOptions.NumberOfThreads"/> is libtorch's
/// thread count on the fit's own thread only, so fits running side by side on threads of their own keep theirs.
/// </summary>
[TestClass]
public sealed class TorchSessionThreadsTests
{
    [TestMethod]
    public void TorchSession_OnTwoFreshThreadsAtOnce_EachTrainsWithItsOwnThreadCountAndRestoresIt()
    {
        using var barrier = new Barrier(2);
        (int During, int After, int Before) Run(int threads)
        {
            int before = torch.get_num_threads();
            int during;
            using (new TorchSession(new DenseNetworkOptions { NumberOfThreads = threads, Seed = 1 }, inputSize: 4, outputSize: 2))
            {
                barrier.SignalAndWait(); // both sessions are open
                during = torch.get_num_threads();
                barrier.SignalAndWait(); // both have read theirs before either closes
            }
            barrier.SignalAndWait(); // both are closed
            return (during, torch.get_num_threads(), before);
        }

        var one = Task.Factory.StartNew(() => Run(1), TaskCreationOptions.LongRunning);
        var three = Task.Factory.StartNew(() => Run(3), TaskCreationOptions.LongRunning);

        Assert.AreEqual(1, one.Result.During, "the one-thread fit is not widened by the other");
        Assert.AreEqual(3, three.Result.During, "the three-thread fit is not narrowed by the other");
        Assert.AreEqual(one.Result.Before, one.Result.After, "restored on its thread");
        Assert.AreEqual(three.Result.Before, three.Result.After, "restored on its thread");
    }
}
