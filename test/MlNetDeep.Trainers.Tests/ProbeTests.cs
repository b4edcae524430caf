using TorchSharp;
namespace MlNetDeep.Tests;
[TestClass]
public sealed class ProbeTests
{
    [TestMethod]
    public void Torch_Loads() { using var t = torch.ones(2, 3); Assert.AreEqual(6f, t.sum().item<float>()); }
}
