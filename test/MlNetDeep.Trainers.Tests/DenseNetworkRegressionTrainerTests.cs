using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Trainers.Tests;

[TestClass]
public sealed class DenseNetworkRegressionTrainerTests
{
    private static DenseNetworkOptions Options(int epochs = 40) => new() { HiddenLayerSizes = new[] { 32 }, Epochs = epochs, Seed = 5 };

    [TestMethod]
    public void Fit_SineRegression_RSquaredAbove95Percent()
    {
        var ml = new MLContext(1);
        var train = SyntheticData.RegressionView(ml, 1000, seed: 1);
        var test = SyntheticData.RegressionView(ml, 500, seed: 2);

        var model = ml.Regression.Trainers.DenseNetwork(Options()).Fit(train);
        var metrics = ml.Regression.Evaluate(model.Transform(test));

        Assert.IsGreaterThan(0.95, metrics.RSquared, $"R² {metrics.RSquared}");
        Assert.AreEqual(NumberDataViewType.Single, model.Transform(test).Schema["Score"].Type);
        Assert.IsTrue(model.History.All(e => e.Accuracy is null && e.ValidationAccuracy is null), "regression has no accuracy");
    }

    [TestMethod]
    public void Fit_HuberLoss_LearnsToo()
    {
        var ml = new MLContext(1);
        var train = SyntheticData.RegressionView(ml, 1000, seed: 1);
        var options = Options();
        options.RegressionLoss = RegressionLoss.Huber;

        var model = ml.Regression.Trainers.DenseNetwork(options).Fit(train);

        Assert.IsGreaterThan(0.95, ml.Regression.Evaluate(model.Transform(SyntheticData.RegressionView(ml, 500, seed: 2))).RSquared);
    }

    [TestMethod]
    public void CrossValidate_ThreeFolds_EveryFoldLearns()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.RegressionView(ml, 900, seed: 3);

        var results = ml.Regression.CrossValidate(data, ml.Regression.Trainers.DenseNetwork(Options(30)), numberOfFolds: 3);

        Assert.HasCount(3, results);
        foreach (var fold in results)
            Assert.IsGreaterThan(0.9, fold.Metrics.RSquared, $"fold {fold.Fold}: {fold.Metrics.RSquared}");
    }
}
