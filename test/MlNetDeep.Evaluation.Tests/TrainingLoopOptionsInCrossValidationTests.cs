using Microsoft.ML;

namespace MlNetDeep.Evaluation.Tests;

/// <summary>The training loop's options and records (gradient clipping, the recorded seed, learning rates) inside RepeatedCrossValidate.</summary>
[TestClass]
public sealed class TrainingLoopOptionsInCrossValidationTests
{
    [TestMethod]
    public void RepeatedCrossValidate_ClippedDenseNetwork_EveryFoldRecordsTheSeedAndRate()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.Load(ml, SyntheticData.BinaryRows(150, seed: 3));
        var pipeline = ml.Transforms.NormalizeMinMax("Features")
            .Append(ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions
            {
                HiddenLayerSizes = new[] { 8 }, Epochs = 4, Seed = 11, LearningRate = 0.01, GradientClipNorm = 0.5,
                Callbacks = { new LearningRateScheduler((epoch, rate) => 0.01 / epoch) },
            }));

        var result = ml.BinaryClassification.RepeatedCrossValidate(data, pipeline, numberOfFolds: 3, numberOfRepeats: 1, seed: 2);

        Assert.IsEmpty(result.FailedFolds);
        foreach (var fold in result.Folds)
        {
            Assert.AreEqual(11, fold.History!.Seed);
            Assert.AreEqual(0.0025, fold.History[^1].LearningRate!.Value, 1e-15);
            StringAssert.StartsWith(fold.History.ToCsv(), "epoch,loss,val_loss,accuracy,val_accuracy,learning_rate,seconds\n1,");
        }
        Assert.IsGreaterThan(0.8, result.GetMetric("AreaUnderRocCurve").Mean);
    }
}
