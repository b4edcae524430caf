using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Trainers.Tests;

[TestClass]
public sealed class DenseNetworkBinaryTrainerTests
{
    private static DenseNetworkOptions Options(int epochs = 30) => new() { HiddenLayerSizes = new[] { 32 }, Epochs = epochs, Seed = 7 };

    [TestMethod]
    public void Fit_NonlinearSyntheticProblem_TestAccuracyAbove93Percent()
    {
        var ml = new MLContext(1);
        var train = SyntheticData.BinaryView(ml, 1000, seed: 1);
        var test = SyntheticData.BinaryView(ml, 500, seed: 2);

        var model = ml.BinaryClassification.Trainers.DenseNetwork(Options()).Fit(train);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(test));

        Assert.IsGreaterThan(0.93, metrics.Accuracy, $"accuracy {metrics.Accuracy}");
        Assert.IsGreaterThan(0.98, metrics.AreaUnderRocCurve);
        Assert.HasCount(30, model.History);
        // a linear model cannot separate x0 + x1² > 1 this well: the hidden layer is doing the work
        var linear = ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions { HiddenLayerSizes = Array.Empty<int>(), Epochs = 30, Seed = 7 }).Fit(train);
        Assert.IsLessThan(metrics.Accuracy - 0.05, ml.BinaryClassification.Evaluate(linear.Transform(test)).Accuracy);
    }

    [TestMethod]
    public void Transform_OutputColumns_MatchMlNetBinaryConventions()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.BinaryView(ml, 200, seed: 1);
        var scored = ml.BinaryClassification.Trainers.DenseNetwork(Options(2)).Fit(data).Transform(data);

        Assert.AreEqual(NumberDataViewType.Single, scored.Schema["Score"].Type);
        Assert.AreEqual(NumberDataViewType.Single, scored.Schema["Probability"].Type);
        Assert.AreEqual(BooleanDataViewType.Instance, scored.Schema["PredictedLabel"].Type);
        var score = TestUtilities.Columns.Scalars<float>(scored, "Score");
        var probability = TestUtilities.Columns.Scalars<float>(scored, "Probability");
        var label = TestUtilities.Columns.Scalars<bool>(scored, "PredictedLabel");
        for (int i = 0; i < score.Length; i++)
        {
            Assert.AreEqual(1 / (1 + Math.Exp(-score[i])), probability[i], 1e-6);
            Assert.AreEqual(score[i] > 0, label[i]);
        }
    }

    [TestMethod]
    public void PredictionEngine_SameRowTwice_GivesTheTransformResult()
    {
        var ml = new MLContext(1);
        var rows = SyntheticData.Binary(100, seed: 3);
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.BinaryClassification.Trainers.DenseNetwork(Options(3)).Fit(data);
        var engine = ml.Model.CreatePredictionEngine<BinaryRow, BinaryPrediction>(model);
        var scores = TestUtilities.Columns.Scalars<float>(model.Transform(data), "Score");

        for (int i = 0; i < 10; i++)
            Assert.AreEqual(scores[i], engine.Predict(rows[i]).Score);
    }

    [TestMethod]
    public void CrossValidate_ThreeFolds_EveryFoldLearns()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.BinaryView(ml, 900, seed: 4);

        var results = ml.BinaryClassification.CrossValidate(data, ml.BinaryClassification.Trainers.DenseNetwork(Options(30)), numberOfFolds: 3);

        Assert.HasCount(3, results);
        foreach (var fold in results)
            Assert.IsGreaterThan(0.88, fold.Metrics.Accuracy, $"fold {fold.Fold}: {fold.Metrics.Accuracy}");
    }

    [TestMethod]
    public void Fit_WithExampleWeights_ZeroWeightedRowsDoNotTeach()
    {
        var ml = new MLContext(1);
        var rows = SyntheticData.Binary(800, seed: 5);
        // flip the labels of half the rows, but give those rows weight 0: the model must learn the true rule
        for (int i = 0; i < rows.Count; i += 2)
        {
            rows[i].Label = !rows[i].Label;
            rows[i].Weight = 0f;
        }
        var data = ml.Data.LoadFromEnumerable(rows);
        var options = Options(40);
        options.LearningRate = 3e-3;
        options.ExampleWeightColumnName = "Weight";
        var test = SyntheticData.BinaryView(ml, 400, seed: 6);

        var weighted = ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(data);
        options.ExampleWeightColumnName = null;
        var unweighted = ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(data);

        Assert.IsGreaterThan(0.9, ml.BinaryClassification.Evaluate(weighted.Transform(test)).Accuracy);
        Assert.IsLessThan(0.75, ml.BinaryClassification.Evaluate(unweighted.Transform(test)).Accuracy, "with the flipped rows counted, the labels are half noise");
    }
}
