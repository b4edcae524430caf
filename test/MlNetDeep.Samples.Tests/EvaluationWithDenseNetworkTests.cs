using Microsoft.ML;
using MlNetDeep.Samples.Data;

namespace MlNetDeep.Samples.Tests;

/// <summary>The evaluation toolkit with MlNetDeep's own networks (its unit tests use in-box trainers).</summary>
[TestClass]
public sealed class EvaluationWithDenseNetworkTests
{
    [TestMethod]
    public void RepeatedCrossValidate_DenseNetworkInAPipeline_EveryFoldCarriesItsTrainingHistory()
    {
        var ml = new MLContext(1);
        var images = DataSplits.Take(DataSource.Resolve(null, full: false).Images.Train, 600);
        var data = ml.Data.LoadFromEnumerable(images);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.DenseNetwork(new DenseNetworkOptions { HiddenLayerSizes = new[] { 32 }, Epochs = 3, ValidationFraction = 0.2, Seed = 1 }));

        var result = ml.MulticlassClassification.RepeatedCrossValidate(data, pipeline, numberOfFolds: 3, numberOfRepeats: 2, seed: 5);

        Assert.HasCount(6, result.Folds);
        Assert.IsEmpty(result.FailedFolds);
        foreach (var fold in result.Folds)
        {
            Assert.IsNotNull(fold.History, $"repeat {fold.Repeat} fold {fold.Fold}");
            Assert.HasCount(3, fold.History);
            Assert.IsTrue(fold.History.All(e => e.ValidationAccuracy is not null));
        }
        Assert.IsGreaterThan(0.5, result.GetMetric("MicroAccuracy").Mean);
    }
}
