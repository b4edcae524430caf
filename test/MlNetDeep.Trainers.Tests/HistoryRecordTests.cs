using Microsoft.ML;
using MlNetDeep.Network;

namespace MlNetDeep.Trainers.Tests;

/// <summary>What TrainingHistory records besides the epochs: the seed (given or drawn), and the learning rate in its CSV.</summary>
[TestClass]
public sealed class HistoryRecordTests
{
    /// <summary>
    /// A stored network written before the seed was recorded (format version 1, by commit e587cac): a 2 → 1 binary
    /// network with one epoch of history.
    /// </summary>
    private const string RecordWithoutSeed =
        "TU5ETgE3AQAAeyJUYXNrIjoiQmluYXJ5IiwiQWN0aXZhdGlvbiI6IlJlbHUiLCJMYXllcnMiOlt7IkluIjoyLCJPdXQiOjF9XSwiRmVhdHVyZUNvbHVtbiI6IkZlYXR1cmVzIiwiSGlzdG9yeSI6eyJNb25pdG9yIjoibG9zcyIsIkJlc3RFcG9jaCI6MSwiU3RvcCI6IkNvbXBsZXRlZCIsIlJlc3RvcmVkQmVzdFdlaWdodHMiOmZhbHNlLCJTdG9wUmVhc29uIjoiY29tcGxldGVkIDEgZXBvY2gocykiLCJFcG9jaHMiOlt7IkVwb2NoIjoxLCJMb3NzIjowLjUsIkFjY3VyYWN5IjowLjc1LCJMZWFybmluZ1JhdGUiOjAuMDAxLCJEdXJhdGlvblRpY2tzIjoxMjM0NX1dfX0AAIA+AAAAvwAAAD7re1Xs";

    [TestMethod]
    public void Fit_GivenSeed_IsRecordedAndShownInToString()
    {
        var ml = new MLContext(1);

        var history = ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions { Epochs = 2, Seed = 123 }).Fit(SyntheticData.BinaryView(ml, 60, 1)).History;

        Assert.AreEqual(123, history.Seed);
        Assert.AreEqual("2 epochs; best epoch 2 by loss; seed 123; completed 2 epoch(s)", history.ToString());
    }

    [TestMethod]
    public void Fit_WithoutSeed_RecordsTheDrawnSeed_WhichRepeatsTheRunBitForBit()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.BinaryView(ml, 200, 1);
        DenseNetworkOptions Options(int? seed) => new() { HiddenLayerSizes = new[] { 8 }, DropoutRate = 0.2, Epochs = 3, NumberOfThreads = 1, Seed = seed };

        var drawn = ml.BinaryClassification.Trainers.DenseNetwork(Options(null)).Fit(data);
        var repeated = ml.BinaryClassification.Trainers.DenseNetwork(Options(drawn.History.Seed)).Fit(data);

        Assert.IsNotNull(drawn.History.Seed);
        Assert.AreEqual(SeededRunReferenceTests.Describe(drawn), SeededRunReferenceTests.Describe(repeated));
    }

    [TestMethod]
    public void Seed_SurvivesSaveAndLoad_AndOldRecordsWithoutOneStillLoad()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.BinaryView(ml, 60, 1);
        var model = ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions { Epochs = 2, Seed = 77 }).Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;

        var loaded = DenseNetworkModel.FromTransformer(new MLContext().Model.Load(stream, out _)).History!;
        var old = NetworkFormat.Read(RecordWithoutSeed).History!;

        Assert.AreEqual(77, loaded.Seed);
        Assert.AreEqual(model.History.ToString(), loaded.ToString());
        Assert.IsNull(old.Seed);
        Assert.AreEqual("1 epochs; best epoch 1 by loss; completed 1 epoch(s)", old.ToString());
        Assert.AreEqual(0.001, old[0].LearningRate);
    }

    [TestMethod]
    public void ToCsv_HasALearningRateColumn()
    {
        var history = new TrainingHistory(new[]
        {
            new EpochMetrics { Epoch = 1, Loss = 0.5, ValidationLoss = 0.625, Accuracy = 0.75, ValidationAccuracy = 0.5, LearningRate = 0.01, Duration = TimeSpan.FromSeconds(1.5) },
            new EpochMetrics { Epoch = 2, Loss = 0.25, Duration = TimeSpan.FromSeconds(2) },
        });

        Assert.AreEqual("epoch,loss,val_loss,accuracy,val_accuracy,learning_rate,seconds\n1,0.5,0.625,0.75,0.5,0.01,1.5\n2,0.25,,,,,2\n", history.ToCsv());
    }
}
