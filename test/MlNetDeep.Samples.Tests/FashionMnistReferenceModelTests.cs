using Microsoft.ML;
using MlNetDeep.Samples.Data;

namespace MlNetDeep.Samples.Tests;

/// <summary>Acceptance on real data: the lecture's reference network on the full Fashion-MNIST.</summary>
[TestClass]
public sealed class FashionMnistReferenceModelTests
{
    /// <remarks>
    /// One seed's test accuracy is a draw from a wide spread: measured 2026-11-26, 10 epochs on all 60,000 images,
    /// seeds 1–5 gave 0.8816, 0.8800, 0.8856, 0.8692 and 0.8901 on the libtorch engine and 0.8746, 0.8828, 0.8865,
    /// 0.8618 and 0.8878 on the managed engine (which trains this model by default), so a single seed's 0.875 bar tested
    /// the seed more than the trainer (seed 4 fails it on either engine). The mean over seeds 1–3 (0.8824 and 0.8813)
    /// has a third of the variance.
    /// </remarks>
    [TestMethod]
    public void ReferenceModel_784_512_10_RmsPropBatch128_TenEpochs_MeanTestAccuracyOfThreeSeedsAtLeast0875()
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
        var accuracies = new List<double>();
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var options = new DenseNetworkOptions { HiddenLayerSizes = new[] { 512 }, BatchSize = 128, Epochs = 10, Seed = seed };
            var model = toKey.Append(ml.MulticlassClassification.Trainers.DenseNetwork(options)).Fit(train);
            accuracies.Add(ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy);
        }

        Assert.AreEqual(60000, source.Images.Train.Count);
        string each = string.Join(", ", accuracies.Select(a => a.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.IsGreaterThanOrEqualTo(0.875, accuracies.Average(), $"test accuracies {each}");
        Assert.IsTrue(accuracies.All(a => a >= 0.85), $"no seed far off: {each}");
        Console.WriteLine($"Fashion-MNIST 784-512-10, 10 epochs: test accuracies {each}");
    }
}
