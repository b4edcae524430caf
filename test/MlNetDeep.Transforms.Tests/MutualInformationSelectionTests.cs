using System.Buffers.Binary;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.TestUtilities;
using static MlNetDeep.Transforms.Tests.MutualInformationData;

namespace MlNetDeep.Transforms.Tests;

[TestClass]
public sealed class MutualInformationSelectionTests
{
    [TestMethod]
    public void Fit_TopCount_KeepsHighestScoringSlotsInInputOrder()
    {
        var ml = new MLContext(seed: 1);
        var data = TableView(ml);

        var one = Options(ml, o => { o.NumberOfBins = 3; o.SlotsInOutput = 1; }).Fit(data);
        var two = Options(ml, o => { o.NumberOfBins = 3; o.SlotsInOutput = 2; }).Fit(data);

        CollectionAssert.AreEqual(new[] { 1 }, one.SelectedSlots.ToArray());
        CollectionAssert.AreEqual(new[] { 0, 1 }, two.SelectedSlots.ToArray());
        var rows = Columns.Vectors(two.Transform(data), "Selected");
        CollectionAssert.AreEqual(new[] { 1f, 0f }, rows[0]);
        CollectionAssert.AreEqual(new[] { 0f, 10f }, rows[3]);
    }

    [TestMethod]
    public void Fit_TopPercentile_RoundsTheSlotCountUp()
    {
        var ml = new MLContext(seed: 1);
        var model = Options(ml, o => { o.NumberOfBins = 3; o.Mode = MutualInformationSelectionMode.TopPercentile; o.Percentile = 50; }).Fit(TableView(ml));

        // 50% of 3 slots = 1.5 → 2 slots
        CollectionAssert.AreEqual(new[] { 0, 1 }, model.SelectedSlots.ToArray());
    }

    [TestMethod]
    public void Fit_ScoreThreshold_KeepsSlotsStrictlyAboveIt()
    {
        var ml = new MLContext(seed: 1);
        var data = TableView(ml);

        var above02 = Options(ml, o => { o.NumberOfBins = 3; o.Mode = MutualInformationSelectionMode.ScoreThreshold; o.ScoreThreshold = 0.2; }).Fit(data);
        var aboveZero = Options(ml, o => { o.NumberOfBins = 3; o.Mode = MutualInformationSelectionMode.ScoreThreshold; }).Fit(data);

        CollectionAssert.AreEqual(new[] { 1 }, above02.SelectedSlots.ToArray());
        CollectionAssert.AreEqual(new[] { 0, 1 }, aboveZero.SelectedSlots.ToArray(), "the constant slot (score 0) is not above 0");
    }

    [TestMethod]
    public void Fit_ThresholdAboveEveryScore_ThrowsNamingThresholdAndBestScore()
    {
        var ml = new MLContext(seed: 1);
        var estimator = Options(ml, o => { o.NumberOfBins = 3; o.Mode = MutualInformationSelectionMode.ScoreThreshold; o.ScoreThreshold = 1; });

        var e = Assert.ThrowsExactly<InvalidOperationException>(() => estimator.Fit(TableView(ml)));

        Assert.AreEqual(
            $"No slot of column 'Features' has a mutual-information score above the threshold 1 (the highest score is {Slot1.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}); lower ScoreThreshold to keep at least one slot.",
            e.Message);
    }

    [TestMethod]
    public void Fit_MoreSlotsRequestedThanExist_KeepsEverySlot()
    {
        var ml = new MLContext(seed: 1);
        var model = ml.Transforms.FeatureSelection.SelectByMutualInformation("Selected", "Features", slotsInOutput: 1000).Fit(TableView(ml));

        CollectionAssert.AreEqual(new[] { 0, 1, 2 }, model.SelectedSlots.ToArray());
        Assert.AreEqual(3, ((VectorDataViewType)model.GetOutputSchema(TableView(ml).Schema)["Selected"].Type).Size);
    }

    [TestMethod]
    public void Options_Defaults_AreTheDocumentedOnes()
    {
        var o = new MutualInformationSelectionOptions();
        Assert.AreEqual("Features", o.OutputColumnName);
        Assert.IsNull(o.InputColumnName);
        Assert.AreEqual("Label", o.LabelColumnName);
        Assert.AreEqual(MutualInformationSelectionMode.TopCount, o.Mode);
        Assert.AreEqual(1000, o.SlotsInOutput);
        Assert.AreEqual(10.0, o.Percentile);
        Assert.AreEqual(0.0, o.ScoreThreshold);
        Assert.AreEqual(MutualInformationBiasCorrection.MillerMadow, o.BiasCorrection);
        Assert.AreEqual(256, o.NumberOfBins);
        Assert.AreEqual(BinningStrategy.EqualWidth, o.Binning);
        Assert.AreEqual(10, o.NumberOfLabelBins);
        Assert.AreEqual(10_000, o.QuantileSampleSize);
        Assert.IsNull(o.NumberOfThreads);
    }

    [TestMethod]
    public void Constructor_InvalidOptions_OneExceptionListsEveryProblem()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => new MutualInformationSelectingEstimator(new MutualInformationSelectionOptions
        {
            OutputColumnName = "", SlotsInOutput = 0, Percentile = 150, NumberOfBins = 1, NumberOfThreads = 0,
        }));

        Assert.AreEqual(
            "Invalid MutualInformationSelectionOptions: 5 problem(s).\n" +
            "Invalid value for OutputColumnName: expected a column name. Received: OutputColumnName=''.\n" +
            "Invalid value for SlotsInOutput: expected at least 1. Received: SlotsInOutput=0.\n" +
            "Invalid value for Percentile: expected a percentage in (0, 100]. Received: Percentile=150.\n" +
            "Invalid value for NumberOfBins: expected 2 to 65536. Received: NumberOfBins=1.\n" +
            "Invalid value for NumberOfThreads: expected null or at least 1. Received: NumberOfThreads=0. (Parameter 'options')",
            e.Message);
    }

    [TestMethod]
    public void ChainFit_TextLabel_SchemaErrorNamesColumnExpectedAndReceivedTypesBeforeTraining()
    {
        var ml = new MLContext(seed: 1);
        var rows = new[] { new KeyRow { Features = new[] { 1f, 2f }, Class = "a" } };
        // EstimatorChain.Fit propagates schemas (GetOutputSchema) before fitting anything
        var chain = ml.Transforms.CopyColumns("Copy", "Features")
            .Append(ml.Transforms.FeatureSelection.SelectByMutualInformation("Selected", "Features", labelColumnName: "Class"));

        var e = Assert.ThrowsExactly<ArgumentException>(() => chain.Fit(Load(ml, rows)));

        Assert.AreEqual("Schema mismatch for label column 'Class': expected Boolean, a UInt32 key of known count, Single or Double, got String. (Parameter 'inputSchema')", e.Message);
    }

    [TestMethod]
    public void Fit_ScalarFeatureColumn_ThrowsNamingColumnExpectedAndReceivedTypes()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new RegressionRow { Features = new[] { 1f }, Label = 1 } }, Definition<RegressionRow>(1));
        var estimator = ml.Transforms.FeatureSelection.SelectByMutualInformation("Selected", "Label", labelColumnName: "Label");

        var e = Assert.ThrowsExactly<ArgumentException>(() => estimator.Fit(data));

        Assert.AreEqual("Schema mismatch for input column 'Label': expected a known-size vector of Single, got Single. (Parameter 'inputSchema')", e.Message);
    }

    [TestMethod]
    public void WriteScores_Csv_ListsEverySlotWithNameScoreRankAndSelection()
    {
        var ml = new MLContext(seed: 1);
        var model = Options(ml, o => { o.NumberOfBins = 3; o.SlotsInOutput = 1; }).Fit(TableView(ml, new[] { "a", "b", "c" }));
        var writer = new StringWriter { NewLine = "\n" };

        model.WriteScores(writer);

        var inv = System.Globalization.CultureInfo.InvariantCulture;
        Assert.AreEqual(
            "Slot,Name,Score,Rank,Selected\n" +
            $"0,a,{Slot0.ToString("R", inv)},2,false\n" +
            $"1,b,{Slot1.ToString("R", inv)},1,true\n" +
            "2,c,0,3,false\n",
            writer.ToString());
        CollectionAssert.AreEqual(new[] { "a", "b", "c" }, model.SlotNames.ToArray());
    }

    [TestMethod]
    public void WriteScores_Markdown_IsSortedByRank()
    {
        var ml = new MLContext(seed: 1);
        var model = Options(ml, o => { o.NumberOfBins = 3; o.SlotsInOutput = 1; }).Fit(TableView(ml));
        var writer = new StringWriter { NewLine = "\n" };

        model.WriteScores(writer, ScoreTableFormat.Markdown);

        var lines = writer.ToString().Split('\n');
        Assert.AreEqual("| Rank | Slot | Name | Score (nats) | Selected |", lines[0]);
        Assert.AreEqual("| 1 | 1 | f1 | 0.238693 | yes |", lines[2]);
        Assert.AreEqual("| 2 | 0 | f0 | 0.130812 | no |", lines[3]);
        Assert.AreEqual("| 3 | 2 | f2 | 0.000000 | no |", lines[4]);
    }

    [TestMethod]
    public void Fit_WithProgress_ReportsTheCountingPassUpToEveryRow()
    {
        var ml = new MLContext(seed: 1);
        var reports = new List<OperationProgress>();
        var data = TableView(ml);
        Options(ml, o => { o.NumberOfBins = 3; o.Progress = new SynchronousProgress(reports.Add); }).Fit(data);

        Assert.IsNotEmpty(reports);
        Assert.AreEqual("SelectByMutualInformation", reports[^1].Operation);
        Assert.AreEqual(reports[^1].Total, reports[^1].Completed);
        Assert.AreEqual(1.0, reports[^1].Fraction);
        StringAssert.Contains(reports[^1].Step, "over all");
    }

    private sealed class SynchronousProgress(Action<OperationProgress> report) : IProgress<OperationProgress>
    {
        public void Report(OperationProgress value) => report(value);
    }

    [TestMethod]
    public void Fit_InEstimatorChainAndCrossValidate_TrainsOnTheInformativeSlots()
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(3);
        var rows = Enumerable.Range(0, 200).Select(i =>
        {
            bool label = i % 2 == 0;
            // slot 0 carries the label; slots 1-5 are noise
            var x = new float[6];
            x[0] = (label ? 1f : -1f) + ((float)random.NextDouble() * 0.5f);
            for (int j = 1; j < 6; j++) x[j] = (float)random.NextDouble();
            return x;
        }).ToArray();
        var data = Build(ml, rows, Enumerable.Range(0, 200).Select(i => i % 2 == 0).ToArray());
        var pipeline = ml.Transforms.FeatureSelection.SelectByMutualInformation(new MutualInformationSelectionOptions { InputColumnName = "Features", OutputColumnName = "Selected", SlotsInOutput = 2, NumberOfBins = 8 })
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(featureColumnName: "Selected"));

        var chainModel = pipeline.Fit(data);
        var folds = ml.BinaryClassification.CrossValidate(data, pipeline, numberOfFolds: 3);

        var selector = (MutualInformationSelectingTransformer)chainModel.First();
        Assert.AreEqual(0, selector.SelectedSlots[0]);
        Assert.AreEqual(3, folds.Count);
        Assert.IsTrue(folds.All(f => f.Metrics.Accuracy > 0.95), string.Join(", ", folds.Select(f => f.Metrics.Accuracy)));
    }

    [TestMethod]
    public void SaveLoad_InSeparateProcess_GivesIdenticalOutput()
    {
        var ml = new MLContext(seed: 1);
        var data = TableView(ml, new[] { "a", "b", "c" });
        var model = Options(ml, o => { o.NumberOfBins = 3; o.SlotsInOutput = 2; }).Fit(data);
        var path = TestData.TempPath(".zip");
        ml.Model.Save(model, data.Schema, path);

        var loaded = SeparateProcess.TransformWithLoadedModel(ml, path, data, out var loaderOutput);

        Assert.AreEqual("no-torchsharp-no-onnxruntime", loaderOutput);
        var expected = Columns.Vectors(model.Transform(data), "Selected");
        var actual = Columns.Vectors(loaded, "Selected");
        Assert.AreEqual(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.IsTrue(Columns.BitEqual(expected[i], actual[i]), $"row {i}");
        CollectionAssert.AreEqual(new[] { "a", "b" }, TestData.SlotNames(loaded.Schema["Selected"]));
    }
}
