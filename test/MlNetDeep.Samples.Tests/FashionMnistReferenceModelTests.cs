using Microsoft.ML;
using MlNetDeep.Samples.Data;

namespace MlNetDeep.Samples.Tests;

/// <summary>Acceptance on real data: the lecture's reference network on the full Fashion-MNIST.</summary>
[TestClass]
public sealed class FashionMnistReferenceModelTests
{
    [TestMethod]
    public void ReferenceModel_784_512_10_RmsPropBatch128_TenEpochs_TestAccuracyAtLeast0875()
    {
        DataSource source;
        try
        {
            source = DataSource.Resolve(null, full: true);
            _ = source.Images;
        }
        catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Assert.Inconclusive($"Full Fashion-MNIST not installed here (run build/setup.sh): {e.Message}");
            return;
        }
        var ml = new MLContext(1);
        var toKey = ml.Transforms.Conversion.MapValueToKey("Label");
        var train = ml.Data.LoadFromEnumerable(source.Images.Train);
        var test = ml.Data.LoadFromEnumerable(source.Images.Test);
        var options = new DenseNetworkOptions { HiddenLayerSizes = new[] { 512 }, BatchSize = 128, Epochs = 10, Seed = 1 };

        var model = toKey.Append(ml.MulticlassClassification.Trainers.DenseNetwork(options)).Fit(train);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));

        Assert.AreEqual(60000, source.Images.Train.Count);
        Assert.IsGreaterThanOrEqualTo(0.875, metrics.MicroAccuracy, $"test accuracy {metrics.MicroAccuracy:F4}");
        Console.WriteLine($"Fashion-MNIST 784-512-10, 10 epochs: test accuracy {metrics.MicroAccuracy:F4}");
    }
}
