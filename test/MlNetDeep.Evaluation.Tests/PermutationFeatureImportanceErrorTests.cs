using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Evaluation.Tests;

[TestClass]
public sealed class PermutationFeatureImportanceErrorTests
{
    private static MLContext _ml = null!;
    private static IDataView _data = null!;
    private static ITransformer _model = null!;

    [ClassInitialize]
    public static void FitOnce(TestContext context)
    {
        _ml = new MLContext(seed: 1);
        _data = ImportanceData.Load(_ml, 200, seed: 1);
        _model = ImportanceData.Featurize(_ml).Append(_ml.BinaryClassification.Trainers.SdcaLogisticRegression()).Fit(_data);
    }

    private static PermutationFeatureImportanceResult<BinaryClassificationMetrics> Run(ITransformer? model = null, IDataView? data = null,
        string labelColumnName = "Label", string featureColumnName = "Features", int? numberOfExamplesToUse = null, int permutationCount = 1)
        => _ml.BinaryClassification.PermutationFeatureImportanceByName(model ?? _model, data ?? _data, labelColumnName, featureColumnName,
            numberOfExamplesToUse, permutationCount, seed: 1);

    [TestMethod]
    public void MissingFeatureColumn_NamesItAndTheVectorColumnsThePredictorCouldRead()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => Run(featureColumnName: "Pixels"));
        Assert.AreEqual("Schema mismatch for feature column 'Pixels': column not found; available columns: 'Features'. (Looked in the data and in the output of every step before the predictor, " +
            "the step that produces 'Score'; only known-size Single vector columns are listed.) (Parameter 'featureColumnName')", error.Message);
    }

    [TestMethod]
    public void MissingFeatureColumn_OnALoadedModel_GivesTheSameMessage()
    {
        using var zip = new MemoryStream();
        _ml.Model.Save(_model, _data.Schema, zip);
        zip.Position = 0;
        var fresh = new MLContext(seed: 2);
        var loaded = fresh.Model.Load(zip, out _);

        var error = Assert.ThrowsExactly<ArgumentException>(() =>
            fresh.BinaryClassification.PermutationFeatureImportanceByName(loaded, _data, featureColumnName: "Pixels"));
        StringAssert.StartsWith(error.Message, "Schema mismatch for feature column 'Pixels': column not found; available columns: 'Features'.");
        StringAssert.Contains(error.Message, "only known-size Single vector columns are listed");
    }

    [TestMethod]
    public void FeatureColumnOfTheWrongType_SaysWhatWasExpectedAndReceived()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => Run(featureColumnName: "Signal1"));
        Assert.AreEqual("Schema mismatch for feature column 'Signal1': expected a known-size vector of Single, got Single. (Parameter 'featureColumnName')", error.Message);
    }

    [TestMethod]
    public void MissingLabelColumn_ListsTheModelsOutputColumns()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => Run(labelColumnName: "Outcome"));
        StringAssert.StartsWith(error.Message, "Schema mismatch for label column 'Outcome': column not found; available columns: 'Noise1', 'Signal1',");
        StringAssert.Contains(error.Message, "'Features', 'PredictedLabel', 'Score', 'Probability'. (Looked in the model's output, which the evaluator reads.) (Parameter 'labelColumnName')");
    }

    [TestMethod]
    public void ModelWithoutAPredictor_SaysItProducesNoScore()
    {
        var featuresOnly = ImportanceData.Featurize(_ml).Fit(_data);
        var error = Assert.ThrowsExactly<ArgumentException>(() => Run(model: featuresOnly));
        StringAssert.StartsWith(error.Message, "Schema mismatch for score column 'Score': column not found; available columns: 'Noise1',");
    }

    [TestMethod]
    public void BadCountsAndNulls_Throw()
    {
        var count = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Run(permutationCount: 0));
        Assert.AreEqual("Invalid value for permutationCount: expected at least 1. Received: permutationCount=0. (Parameter 'permutationCount')", count.Message);
        var examples = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Run(numberOfExamplesToUse: 1));
        Assert.AreEqual("Invalid value for numberOfExamplesToUse: expected null (every row) or at least 2. Received: numberOfExamplesToUse=1. (Parameter 'numberOfExamplesToUse')", examples.Message);
        Assert.ThrowsExactly<ArgumentNullException>(() => _ml.BinaryClassification.PermutationFeatureImportanceByName(null!, _data));
        Assert.ThrowsExactly<ArgumentNullException>(() => _ml.Regression.PermutationFeatureImportanceByName(_model, null!));
        Assert.ThrowsExactly<ArgumentNullException>(() => _ml.MulticlassClassification.PermutationFeatureImportanceByName(_model, _data, featureColumnName: null!));
    }

    [TestMethod]
    public void OneRow_CannotBePermuted()
    {
        var oneRow = _ml.Data.TakeRows(_data, 1);
        var error = Assert.ThrowsExactly<ArgumentException>(() => Run(data: oneRow));
        Assert.AreEqual("Permutation feature importance needs at least 2 rows to permute; the data has 1. (Parameter 'data')", error.Message);
    }

    [TestMethod]
    public void UnknownFeatureOrMetricName_ListsWhatExists()
    {
        var importance = Run();
        var feature = Assert.ThrowsExactly<KeyNotFoundException>(() => importance["Pixel7"]);
        Assert.AreEqual("No feature named 'Pixel7' in column 'Features' (5 slots; names such as 'Noise1', 'Signal1', 'Noise2', 'Signal2', 'Noise3').", feature.Message);
        var metric = Assert.ThrowsExactly<KeyNotFoundException>(() => importance.Ranked("RSquared"));
        StringAssert.StartsWith(metric.Message, "No metric named 'RSquared'. Available metrics: Accuracy, AreaUnderRocCurve,");
    }
}
