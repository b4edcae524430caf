using MlNetDeep.Native;
using TorchSharp;

namespace MlNetDeep.Trainers.Tests;

[TestClass]
public sealed class LibTorchRuntimeTests
{
    [TestMethod]
    public void FlushDenormal_OnX64Linux_IsReachableAndFlushes()
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64)
            Assert.Inconclusive("checked on x64 Linux only");
        LibTorchRuntime.EnsureLoaded();
        float denormal = 1e-40f;
        try
        {
            Assert.IsTrue(LibTorchRuntime.TrySetFlushDenormal(true));
            using var t = torch.tensor(new[] { denormal });
            using var doubled = t * 1f; // the multiply runs on this thread: the result is flushed to zero
            Assert.AreEqual(0f, doubled.item<float>());
        }
        finally
        {
            Assert.IsTrue(LibTorchRuntime.TrySetFlushDenormal(false));
        }
        using var kept = torch.tensor(new[] { denormal }) * 1f;
        Assert.AreEqual(denormal, kept.item<float>(), "switched off again");
    }
}
