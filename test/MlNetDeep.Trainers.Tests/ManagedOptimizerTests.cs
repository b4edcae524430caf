using MlNetDeep.Training.Managed;

namespace MlNetDeep.Trainers.Tests;

/// <summary>
/// The managed optimizers' vectorized updates give every element the bits the scalar code gives it: a 19-element
/// parameter (two 8-wide vectors and a tail) stepped at once equals 19 one-element parameters stepped one by one.
/// (Agreement with libtorch's optimizers: MlNetDeep.Samples.Tests' ManagedEngineEquivalenceTests.)
/// </summary>
[TestClass]
public sealed class ManagedOptimizerTests
{
    [TestMethod]
    [DataRow(OptimizerKind.Adam, 0.0)]
    [DataRow(OptimizerKind.AdamW, 0.0)]
    [DataRow(OptimizerKind.RmsProp, 0.0)]
    [DataRow(OptimizerKind.Sgd, 0.0)]
    [DataRow(OptimizerKind.Sgd, 0.9)]
    public void VectorizedStep_EqualsElementByElement_BitForBit(OptimizerKind kind, double momentum)
    {
        const int n = 19;
        var options = new DenseNetworkOptions { Optimizer = kind, Momentum = momentum, LearningRate = 0.01 };
        var whole = ManagedOptimizer.Create(options, new[] { n });
        var single = ManagedOptimizer.Create(options, Enumerable.Repeat(1, n).ToArray());
        var r = new Random(5);
        var w = Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() - 0.5)).ToArray();
        var w1 = (float[])w.Clone();
        for (int step = 0; step < 3; step++)
        {
            var g = Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() - 0.5) * 1e-2f).ToArray();
            whole.Step(0, w, g);
            for (int i = 0; i < n; i++)
                single.Step(i, w1.AsSpan(i, 1), g.AsSpan(i, 1));
        }
        CollectionAssert.AreEqual(w1, w);
        Assert.IsTrue(w.Zip(w1).All(p => float.IsFinite(p.First)));
    }
}
