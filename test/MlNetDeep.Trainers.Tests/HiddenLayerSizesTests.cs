using Microsoft.ML;

namespace MlNetDeep.Trainers.Tests;

/// <summary>
/// <see cref="DenseNetworkOptions.HiddenLayerSizes"/> has one meaning everywhere: null = the default { 64 }, empty = no
/// hidden layer; validation sees the caller's values and the caller's options object is never written to.
/// </summary>
[TestClass]
public sealed class HiddenLayerSizesTests
{
    private static int[] Hidden(DenseNetworkModel model) => model.Layers.Take(model.Layers.Count - 1).Select(l => l.OutputSize).ToArray();

    [TestMethod]
    public void Validate_Null_IsAccepted()
    {
        new DenseNetworkOptions { HiddenLayerSizes = null }.Validate();
    }

    [TestMethod]
    public void Null_TrainsTheDefault64UnitLayer_InTheFlatOverload()
    {
        var ml = new MLContext(1);

        var trainer = ml.BinaryClassification.Trainers.DenseNetwork(hiddenLayerSizes: null, epochs: 1);
        var model = trainer.Fit(SyntheticData.BinaryView(ml, 64, 1));

        CollectionAssert.AreEqual(new[] { 64 }, trainer.Options.HiddenLayerSizes);
        CollectionAssert.AreEqual(new[] { 64 }, Hidden(model.Model));
    }

    [TestMethod]
    public void Null_TrainsTheSameNetworkAsTheDefault_InTheOptionsOverload()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.BinaryView(ml, 64, 1);

        var fromNull = ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions { HiddenLayerSizes = null, Epochs = 2, Seed = 4 }).Fit(data);
        var fromDefault = ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions { Epochs = 2, Seed = 4 }).Fit(data);

        CollectionAssert.AreEqual(new[] { 64 }, Hidden(fromNull.Model));
        CollectionAssert.AreEqual(fromDefault.Model.Layers[0].Weights.ToArray(), fromNull.Model.Layers[0].Weights.ToArray(), "same seed, same architecture: identical weights");
        CollectionAssert.AreEqual(TestUtilities.Columns.Scalars<float>(fromDefault.Transform(data), "Score"), TestUtilities.Columns.Scalars<float>(fromNull.Transform(data), "Score"));
    }

    [TestMethod]
    public void Empty_TrainsNoHiddenLayer_InBothOverloads()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.MulticlassView(ml, 64, 1);

        var flat = ml.MulticlassClassification.Trainers.DenseNetwork(hiddenLayerSizes: Array.Empty<int>(), epochs: 1).Fit(data);
        var options = ml.MulticlassClassification.Trainers.DenseNetwork(new DenseNetworkOptions { HiddenLayerSizes = Array.Empty<int>(), Epochs = 1, Seed = 1 }).Fit(data);

        Assert.HasCount(1, flat.Model.Layers, "softmax regression: the output layer only");
        Assert.HasCount(1, options.Model.Layers);
        Assert.AreEqual(4, options.Model.Layers[0].InputSize);
    }

    [TestMethod]
    public void Validate_ReportsTheCallersValues()
    {
        var o = new DenseNetworkOptions { HiddenLayerSizes = new[] { 16, 0, -2 } };

        var error = Assert.ThrowsExactly<ArgumentException>(() => new MLContext().Regression.Trainers.DenseNetwork(o));

        StringAssert.Contains(error.Message, "Invalid value for HiddenLayerSizes: expected every layer size > 0. Received: HiddenLayerSizes='[16, 0, -2]'.");
    }

    [TestMethod]
    public void Trainer_NeverWritesToTheCallersOptions()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.BinaryView(ml, 64, 1);
        var sizes = new[] { 8, 4 };
        var withArray = new DenseNetworkOptions { HiddenLayerSizes = sizes, Epochs = 1, Seed = 1, EarlyStopping = new EarlyStoppingOptions { Monitor = "loss" } };
        var withNull = new DenseNetworkOptions { HiddenLayerSizes = null, Epochs = 1, Seed = 1 };
        var early = withArray.EarlyStopping;

        ml.BinaryClassification.Trainers.DenseNetwork(withArray).Fit(data);
        ml.BinaryClassification.Trainers.DenseNetwork(withNull).Fit(data);

        Assert.AreSame(sizes, withArray.HiddenLayerSizes);
        CollectionAssert.AreEqual(new[] { 8, 4 }, sizes);
        Assert.AreSame(early, withArray.EarlyStopping);
        Assert.AreEqual("loss", early.Monitor);
        Assert.IsNull(withNull.HiddenLayerSizes, "null stays null in the caller's object; the trainer fills in the default in its own copy");
    }
}
