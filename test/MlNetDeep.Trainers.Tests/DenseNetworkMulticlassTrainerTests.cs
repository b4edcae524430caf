using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Trainers.Tests;

[TestClass]
public sealed class DenseNetworkMulticlassTrainerTests
{
    private static DenseNetworkOptions Options(int epochs = 30) => new() { HiddenLayerSizes = new[] { 32 }, Epochs = epochs, Seed = 11 };

    [TestMethod]
    public void Fit_ThreeAngularClasses_MicroAccuracyAbove93Percent()
    {
        var ml = new MLContext(1);
        var rows = ml.Data.LoadFromEnumerable(SyntheticData.Multiclass(1500, seed: 1));
        var split = ml.Data.TrainTestSplit(rows, 0.3, seed: 1);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.DenseNetwork(Options()))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabelValue", "PredictedLabel"));

        var model = pipeline.Fit(split.TrainSet);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet));

        Assert.IsGreaterThan(0.93, metrics.MicroAccuracy, $"micro accuracy {metrics.MicroAccuracy}");
        Assert.IsLessThan(0.3, metrics.LogLoss);
    }

    [TestMethod]
    public void Transform_ScoreAndPredictedLabel_CarryClassNamesAndKeyValues()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.MulticlassView(ml, 300, seed: 2);
        var model = ml.MulticlassClassification.Trainers.DenseNetwork(Options(2)).Fit(data);
        var scored = model.Transform(data);

        var score = scored.Schema["Score"];
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 3), score.Type);
        VBuffer<ReadOnlyMemory<char>> slotNames = default;
        score.GetSlotNames(ref slotNames);
        VBuffer<ReadOnlyMemory<char>> labelKeys = default;
        data.Schema["Label"].GetKeyValues(ref labelKeys);
        CollectionAssert.AreEqual(labelKeys.DenseValues().Select(v => v.ToString()).ToArray(), slotNames.DenseValues().Select(v => v.ToString()).ToArray());
        CollectionAssert.AreEqual(new[] { "north", "east", "west" }.OrderBy(x => labelKeys.DenseValues().Select(v => v.ToString()).ToList().IndexOf(x)).ToArray(),
            model.Model.ClassNames!.ToArray());

        var predicted = scored.Schema["PredictedLabel"];
        Assert.IsInstanceOfType<KeyDataViewType>(predicted.Type);
        Assert.AreEqual(3UL, ((KeyDataViewType)predicted.Type).Count);
        VBuffer<ReadOnlyMemory<char>> predictedKeys = default;
        predicted.GetKeyValues(ref predictedKeys);
        CollectionAssert.AreEqual(labelKeys.DenseValues().Select(v => v.ToString()).ToArray(), predictedKeys.DenseValues().Select(v => v.ToString()).ToArray());

        // PredictedLabel is the argmax of Score; scores are probabilities
        var scores = TestUtilities.Columns.Vectors(scored, "Score");
        var keys = TestUtilities.Columns.Scalars<uint>(scored, "PredictedLabel");
        for (int i = 0; i < scores.Length; i++)
        {
            Assert.AreEqual(1.0, scores[i].Sum(), 1e-5);
            Assert.AreEqual((uint)Array.IndexOf(scores[i], scores[i].Max()) + 1, keys[i]);
        }
    }

    [TestMethod]
    public void CrossValidate_ThreeFolds_EveryFoldLearns()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.MulticlassView(ml, 900, seed: 3);

        var results = ml.MulticlassClassification.CrossValidate(data, ml.MulticlassClassification.Trainers.DenseNetwork(Options(20)), numberOfFolds: 3);

        Assert.HasCount(3, results);
        foreach (var fold in results)
            Assert.IsGreaterThan(0.88, fold.Metrics.MicroAccuracy, $"fold {fold.Fold}: {fold.Metrics.MicroAccuracy}");
    }

    [TestMethod]
    public void PredictionEngine_WithKeyToValue_ReturnsClassName()
    {
        var ml = new MLContext(1);
        var rows = SyntheticData.Multiclass(600, seed: 4);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.DenseNetwork(Options(20)))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabelValue", "PredictedLabel"));
        var model = pipeline.Fit(ml.Data.LoadFromEnumerable(rows));
        var engine = ml.Model.CreatePredictionEngine<MulticlassRow, MulticlassPrediction>(model);

        int correct = rows.Take(100).Count(r => engine.Predict(r).PredictedLabelValue == r.Label);

        Assert.IsGreaterThan(90, correct);
    }
}

[TestClass]
public sealed class UnseenLabelTests
{
    [TestMethod]
    public void ScoringData_WithALabelNeverSeenInTraining_IsScoredAndLeftOutOfEvaluation()
    {
        var ml = new MLContext(1);
        var trainRows = SyntheticData.Multiclass(600, seed: 1);
        var testRows = SyntheticData.Multiclass(200, seed: 2);
        var unseen = testRows.Take(20).ToList();
        unseen.ForEach(r => r.Label = "south"); // a class the model never saw
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.DenseNetwork(new DenseNetworkOptions { HiddenLayerSizes = new[] { 32 }, Epochs = 20, Seed = 1 }));
        var model = pipeline.Fit(ml.Data.LoadFromEnumerable(trainRows));

        var scored = model.Transform(ml.Data.LoadFromEnumerable(testRows));
        var labels = TestUtilities.Columns.Scalars<uint>(scored, "Label");
        var predicted = TestUtilities.Columns.Scalars<uint>(scored, "PredictedLabel");
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        var knownOnly = ml.MulticlassClassification.Evaluate(model.Transform(ml.Data.LoadFromEnumerable(testRows.Skip(20))));

        Assert.AreEqual(20, labels.Count(l => l == 0), "MapValueToKey maps the unseen value to the missing key 0");
        Assert.IsTrue(predicted.All(p => p is >= 1 and <= 3), "every row still gets one of the trained classes");
        Assert.AreEqual(knownOnly.MicroAccuracy, metrics.MicroAccuracy, 1e-12, "ML.NET's evaluator skips rows whose label is missing");
    }
}
