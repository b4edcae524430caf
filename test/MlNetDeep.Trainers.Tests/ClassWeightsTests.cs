using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Trainers.Tests;

[TestClass]
public sealed class ClassWeightsTests
{
    [TestMethod]
    public void Balanced_OnANineToOneProblem_RaisesMinorityRecall()
    {
        var ml = new MLContext(1);
        var train = ml.Data.LoadFromEnumerable(Imbalanced(2000, seed: 1));
        var test = ml.Data.LoadFromEnumerable(Imbalanced(2000, seed: 2));
        double Recall(ClassWeights? weights)
        {
            var model = ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions { HiddenLayerSizes = new[] { 8 }, Epochs = 10, Seed = 1, ClassWeights = weights }).Fit(train);
            return ml.BinaryClassification.Evaluate(model.Transform(test)).PositiveRecall;
        }

        double plain = Recall(null), balanced = Recall(ClassWeights.Balanced);

        Console.WriteLine($"minority recall: plain {plain:F3}, balanced {balanced:F3}");
        Assert.IsGreaterThan(plain + 0.2, balanced, $"plain {plain:F3}, balanced {balanced:F3}");
    }

    [TestMethod]
    public void Balanced_IsScikitLearnsFormula()
    {
        float[] labels = { 0, 0, 0, 0, 0, 0, 1, 1, 2, 2 }; // 6, 2, 2 of 10 rows
        var weights = ClassWeights.Balanced.Resolve(3, null, labels);

        CollectionAssert.AreEqual(new[] { 10.0 / (3 * 6), 10.0 / (3 * 2), 10.0 / (3 * 2) }, weights);
    }

    [TestMethod]
    public void FromDictionary_MatchesLabelValuesOfTheirOwnType_OthersWeighOne()
    {
        var classes = new object[] { "ham".AsMemory(), "spam".AsMemory(), "eggs".AsMemory() };
        var weights = ClassWeights.FromDictionary(new Dictionary<string, double> { ["spam"] = 5, ["eggs"] = 0 }).Resolve(3, classes, new float[] { 0, 1, 2 });
        CollectionAssert.AreEqual(new[] { 1.0, 5.0, 0.0 }, weights);

        var binary = ClassWeights.FromDictionary(new Dictionary<bool, double> { [true] = 9 }).Resolve(2, null, new float[] { 0, 1 });
        CollectionAssert.AreEqual(new[] { 1.0, 9.0 }, binary);

        var numeric = ClassWeights.FromDictionary(new Dictionary<float, double> { [7.5f] = 2 }).Resolve(2, new object[] { -1f, 7.5f }, new float[] { 0, 1 });
        CollectionAssert.AreEqual(new[] { 1.0, 2.0 }, numeric);
    }

    [TestMethod]
    public void FromDictionary_UnknownClassOrBadWeight_SaysWhich()
    {
        var unknown = Assert.Throws<ArgumentException>(() =>
            ClassWeights.FromDictionary(new Dictionary<string, double> { ["spma"] = 2 }).Resolve(2, new object[] { "ham".AsMemory(), "spam".AsMemory() }, new float[] { 0 }));
        Assert.AreEqual("ClassWeights has a weight for 'spma', which is not one of the label's classes ('ham', 'spam').", unknown.Message);

        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => ClassWeights.FromDictionary(new Dictionary<bool, double> { [true] = -1 }));
        StringAssert.Contains(negative.Message, "Invalid value for the weight of class True: expected a finite number >= 0. Received: -1.");
    }

    [TestMethod]
    public void Multiclass_ZeroWeightForAClass_TrainsAsIfItsRowsWereAbsent()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.MulticlassView(ml, 300, seed: 1);
        var model = ml.MulticlassClassification.Trainers.DenseNetwork(new DenseNetworkOptions
        {
            Epochs = 15,
            Seed = 1,
            LearningRate = 0.01,
            ClassWeights = ClassWeights.FromDictionary(new Dictionary<string, double> { ["east"] = 0 }),
        }).Fit(data);

        var predicted = model.Transform(data).GetColumn<uint>("PredictedLabel").ToArray();
        var eastKey = (uint)(model.Model.ClassNames!.ToList().IndexOf("east") + 1);
        Assert.IsLessThan(0.02 * predicted.Length, predicted.Count(p => p == eastKey), "a class with weight 0 teaches nothing, so it is (almost) never predicted");
    }

    [TestMethod]
    public void Regression_ClassWeights_AreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new MLContext().Regression.Trainers.DenseNetwork(new DenseNetworkOptions { ClassWeights = ClassWeights.Balanced }));

        StringAssert.Contains(error.Message, "Invalid value for ClassWeights: expected null for regression");
    }

    private static List<Row> Imbalanced(int rows, int seed)
    {
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return Enumerable.Range(0, rows).Select(i =>
        {
            bool minority = i % 10 == 0;
            double shift = minority ? 1.2 : 0;
            return new Row { Features = new[] { (float)(Normal() + shift), (float)(Normal() + shift) }, Label = minority };
        }).ToList();
    }

    public sealed class Row
    {
        [VectorType(2)]
        public float[] Features { get; set; } = new float[2];

        public bool Label { get; set; }
    }
}
