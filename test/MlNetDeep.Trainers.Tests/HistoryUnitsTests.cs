using Microsoft.ML;

namespace MlNetDeep.Trainers.Tests;

[TestClass]
public sealed class HistoryUnitsTests
{
    [TestMethod]
    public void ValidationLoss_IsInNats_MlNetLogLossIsInBits()
    {
        var ml = new MLContext(1);
        var train = SyntheticData.BinaryView(ml, 300, seed: 1);
        var validation = SyntheticData.BinaryView(ml, 200, seed: 2);
        var model = ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions { HiddenLayerSizes = new[] { 8 }, Epochs = 3, ValidationData = validation, Seed = 1 }).Fit(train);

        double nats = model.History[^1].ValidationLoss!.Value;
        double bits = ml.BinaryClassification.Evaluate(model.Transform(validation)).LogLoss;

        Assert.AreEqual(bits, nats / Math.Log(2), 1e-4, "ML.NET's LogLoss = history loss × 1.4427 (no penalty configured)");
    }
}
