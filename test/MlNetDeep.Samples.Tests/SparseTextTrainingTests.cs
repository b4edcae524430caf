using Microsoft.ML;
using MlNetDeep.Samples.Data;

namespace MlNetDeep.Samples.Tests;

/// <summary>A real ML.NET text pipeline on the sparse training path (<see cref="FeatureLayout"/>).</summary>
[TestClass]
public sealed class SparseTextTrainingTests
{
    private sealed class Scored
    {
        public float Score { get; set; }

        public bool PredictedLabel { get; set; }
    }

    [TestMethod]
    public void FeaturizeTextPipeline_SpamMails_TrainsSparseScoresAfterSaveLoadAndMatchesDense()
    {
        var ml = new MLContext(1);
        var split = DataSource.Resolve(null, full: false).Text.Split(seed: 1);
        var train = ml.Data.LoadFromEnumerable(split.Train.Take(300).ToList());
        var test = ml.Data.LoadFromEnumerable(split.Test.Take(100).ToList());
        DenseNetworkOptions Options(FeatureLayout layout) => new() { FeatureLayout = layout, HiddenLayerSizes = new[] { 16 }, Epochs = 4, BatchSize = 32, Seed = 1 };

        var featurize = ml.Transforms.Text.FeaturizeText("Features", "Text");
        var sparse = featurize.Append(ml.BinaryClassification.Trainers.DenseNetwork(Options(FeatureLayout.Auto))).Fit(train);
        var dense = featurize.Append(ml.BinaryClassification.Trainers.DenseNetwork(Options(FeatureLayout.Dense))).Fit(train);

        Assert.IsTrue(sparse.LastTransformer.TrainedOnSparseRows, "Auto keeps FeaturizeText's sparse rows sparse");
        Assert.IsFalse(dense.LastTransformer.TrainedOnSparseRows);
        Assert.IsGreaterThan(50_000, sparse.LastTransformer.Model.InputSize, "FeaturizeText on 300 mails is wide");
        var scores = Read(ml, sparse.Transform(test));
        var metrics = ml.BinaryClassification.EvaluateNonCalibrated(sparse.Transform(test));
        Assert.IsGreaterThan(0.8, metrics.Accuracy, "the sparse-trained network learned spam from ham");

        // the dense path trains the same network up to float rounding (the first layer sums in another order)
        var denseScores = Read(ml, dense.Transform(test));
        for (int i = 0; i < scores.Length; i++)
            Assert.AreEqual(denseScores[i].Score, scores[i].Score, 1e-3f, $"mail {i}: dense vs sparse logit");

        using var zip = new MemoryStream();
        ml.Model.Save(sparse, train.Schema, zip);
        zip.Position = 0;
        var loaded = ml.Model.Load(zip, out _);
        var reloaded = Read(ml, loaded.Transform(test));
        CollectionAssert.AreEqual(scores.Select(s => s.Score).ToArray(), reloaded.Select(s => s.Score).ToArray(), "save → load scores, bit for bit");
        CollectionAssert.AreEqual(scores.Select(s => s.PredictedLabel).ToArray(), reloaded.Select(s => s.PredictedLabel).ToArray());
    }

    private static Scored[] Read(MLContext ml, IDataView scored) => ml.Data.CreateEnumerable<Scored>(scored, reuseRowObject: false).ToArray();
}
