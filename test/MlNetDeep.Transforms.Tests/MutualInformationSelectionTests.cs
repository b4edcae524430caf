using System.Buffers.Binary;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.TestUtilities;

namespace MlNetDeep.Transforms.Tests;

[TestClass]
public sealed class MutualInformationSelectionTests
{
    // Hand-made table: 8 rows, labels T,T,T,T,F,F,F,F.
    // slot 0 (binary):          1,1,1,0,0,0,0,1   joint counts (x,label): (1,T)=3 (0,T)=1 (0,F)=3 (1,F)=1
    // slot 1 (0/5/10, 3 bins):  0,0,0,10,10,5,5,0 → bins 0,0,0,2,2,1,1,0: (0,T)=3 (2,T)=1 (2,F)=1 (1,F)=2 (0,F)=1
    // slot 2 (constant):        3 everywhere
    private static readonly float[][] Table =
    {
        new[] { 1f, 0f, 3f }, new[] { 1f, 0f, 3f }, new[] { 1f, 0f, 3f }, new[] { 0f, 10f, 3f },
        new[] { 0f, 10f, 3f }, new[] { 0f, 5f, 3f }, new[] { 0f, 5f, 3f }, new[] { 1f, 0f, 3f },
    };

    private static readonly bool[] TableLabels = { true, true, true, true, false, false, false, false };

    // I = Σ p(x,y) ln(p(x,y) / (p(x) p(y))), worked out term by term from the counts above (p(T) = p(F) = 1/2):
    // slot 0: 2·(3/8)·ln((3/8)/(1/2·1/2)) + 2·(1/8)·ln((1/8)/(1/2·1/2)) = (3/4)ln(3/2) + (1/4)ln(1/2)
    private static readonly double Slot0 = (0.75 * Math.Log(1.5)) + (0.25 * Math.Log(0.5));

    // slot 1: (0,T) (3/8)ln((3/8)/(4/8·1/2)) + (2,T) (1/8)ln(1) + (2,F) (1/8)ln(1) + (1,F) (2/8)ln((2/8)/(2/8·1/2)) + (0,F) (1/8)ln((1/8)/(4/8·1/2))
    private static readonly double Slot1 = (3.0 / 8 * Math.Log(1.5)) + (2.0 / 8 * Math.Log(2)) + (1.0 / 8 * Math.Log(0.5));

    [TestMethod]
    public void Fit_SmallTable_ScoresEqualHandComputedMutualInformation()
    {
        var ml = new MLContext(seed: 1);
        var model = Options(ml, o => o.NumberOfBins = 3).Fit(TableView(ml));

        Assert.AreEqual(3, model.Scores.Count);
        Assert.AreEqual(0.1308120359, Slot0, 1e-9, "hand value of slot 0");
        Assert.AreEqual(Slot0, model.Scores[0], 1e-12);
        Assert.AreEqual(Slot1, model.Scores[1], 1e-12);
        Assert.AreEqual(0.0, model.Scores[2], "a constant slot scores exactly 0");
    }

    [TestMethod]
    public void Fit_MillerMadowByDefault_SubtractsNonEmptyCellCorrection()
    {
        var ml = new MLContext(seed: 1);
        var model = ml.Transforms.FeatureSelection.SelectByMutualInformation(new MutualInformationSelectionOptions
        {
            OutputColumnName = "Selected", InputColumnName = "Features", NumberOfBins = 3,
        }).Fit(TableView(ml));

        // (K_bc − K_b − K_c + 1) / (2N): slot 0 has 4 cells, 2 bins, 2 classes → 1/16; slot 1 has 5 cells, 3 bins → 1/16
        Assert.AreEqual(Slot0 - (1.0 / 16), model.Scores[0], 1e-12);
        Assert.AreEqual(Slot1 - (1.0 / 16), model.Scores[1], 1e-12);
        Assert.AreEqual(0.0, model.Scores[2], "a constant slot still scores exactly 0");
    }

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
    public void Fit_AllConstantInput_ScoresZeroAndTiesGoToLowerSlots()
    {
        var ml = new MLContext(seed: 1);
        var data = Build(ml, Enumerable.Range(0, 6).Select(_ => new[] { 2f, 2f, 2f, 2f }).ToArray(), new[] { true, false, true, false, true, false });

        var model = ml.Transforms.FeatureSelection.SelectByMutualInformation("Selected", "Features", slotsInOutput: 2).Fit(data);

        CollectionAssert.AreEqual(new[] { 0.0, 0.0, 0.0, 0.0 }, model.Scores.ToArray());
        CollectionAssert.AreEqual(new[] { 0, 1 }, model.SelectedSlots.ToArray());
    }

    [TestMethod]
    public void Fit_KeyLabel_PerfectPredictorOfThreeBalancedClassesScoresLn3()
    {
        var ml = new MLContext(seed: 1);
        var rows = new[] { 0f, 1f, 2f, 0f, 1f, 2f }.Select((v, i) => new KeyRow { Features = new[] { v, i % 2 }, Class = "c" + v }).ToArray();
        var data = ml.Transforms.Conversion.MapValueToKey("Label", "Class").Fit(Load(ml, rows)).Transform(Load(ml, rows));

        var model = Options(ml, o => o.SlotsInOutput = 1).Fit(data);

        Assert.AreEqual(Math.Log(3), model.Scores[0], 1e-12);
        // slot 1 alternates 0,1 over classes 0,1,2,0,1,2: joint counts (0,c0)=1 (1,c1)=1 (0,c2)=1 (1,c0)=1 (0,c1)=1 (1,c2)=1 → independent
        Assert.AreEqual(0.0, model.Scores[1], 1e-12);
    }

    [TestMethod]
    public void Fit_SingleLabel_IsBinnedIntoEqualWidthBins()
    {
        var ml = new MLContext(seed: 1);
        // labels 0.0, 0.1, 0.9, 1.0 → 2 label bins {0,0.1} {0.9,1}; slot 0 follows the bins exactly → ln 2
        var rows = new[] { 0f, 0.1f, 0.9f, 1f }.Select(y => new RegressionRow { Features = new[] { y > 0.5f ? 5f : -5f }, Label = y }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows, Definition<RegressionRow>(1));

        var model = ml.Transforms.FeatureSelection.SelectByMutualInformation(new MutualInformationSelectionOptions
        {
            OutputColumnName = "Selected", InputColumnName = "Features", NumberOfLabelBins = 2, SlotsInOutput = 1, BiasCorrection = MutualInformationBiasCorrection.None,
        }).Fit(data);

        Assert.AreEqual(Math.Log(2), model.Scores[0], 1e-12);
    }

    [TestMethod]
    public void Fit_SparseInput_ScoresEqualDenseInput()
    {
        var ml = new MLContext(seed: 1);
        var dense = Enumerable.Range(0, 40).Select(i => new[] { i % 3 == 0 ? 1f : 0f, 0f, i % 5 == 0 ? (float)(i % 7) : 0f, i % 2 }).ToArray();
        var labels = Enumerable.Range(0, 40).Select(i => i % 2 == 0).ToArray();
        var sparseRows = dense.Select((r, i) => new SparseRow
        {
            Features = new VBuffer<float>(4, r.Count(v => v != 0), r.Where(v => v != 0).ToArray(), Enumerable.Range(0, 4).Where(j => r[j] != 0).ToArray()),
            Label = labels[i],
        }).ToArray();
        var sparse = ml.Data.LoadFromEnumerable(sparseRows, Definition<SparseRow>(4));

        var fromDense = Options(ml, o => o.SlotsInOutput = 2).Fit(Build(ml, dense, labels));
        var fromSparse = Options(ml, o => o.SlotsInOutput = 2).Fit(sparse);

        CollectionAssert.AreEqual(fromDense.Scores.ToArray(), fromSparse.Scores.ToArray());
        // slot 0 (i%3==0) has 7 true and 7 false rows among its ones → independent of the label: 0
        Assert.AreEqual(0.0, fromSparse.Scores[0], 1e-12);
        Assert.AreEqual(0.0, fromSparse.Scores[1], "all implicit zeros: constant");
        // slot 2: 34 zeros split 17/17 (no information) and six values seen once each, in one class:
        // 6 · (1/40)·ln((1/40)/(1/40·1/2)) = 0.15·ln 2
        Assert.AreEqual(0.15 * Math.Log(2), fromSparse.Scores[2], 1e-12);
        Assert.AreEqual(Math.Log(2), fromSparse.Scores[3], 1e-12, "slot 3 equals the label");
        CollectionAssert.AreEqual(new[] { 2, 3 }, fromSparse.SelectedSlots.ToArray());
    }

    [TestMethod]
    public void Fit_NaNValues_FallInABinOfTheirOwn()
    {
        var ml = new MLContext(seed: 1);
        // slot 0 is NaN exactly where the label is true: as informative as the label itself
        var data = Build(ml, new[] { new[] { float.NaN }, new[] { 1f }, new[] { float.NaN }, new[] { 1f } }, new[] { true, false, true, false });

        var model = Options(ml, o => o.SlotsInOutput = 1).Fit(data);

        Assert.AreEqual(Math.Log(2), model.Scores[0], 1e-12);
    }

    [TestMethod]
    public void Fit_Infinities_FallInTheEndBinsOfTheFiniteRange()
    {
        var ml = new MLContext(seed: 1);
        // finite range [0, 1] with 2 bins: 0, 0.1, -∞ → bin 0 (false rows); 0.9, 1, +∞ → bin 1 (true rows): as informative as the label.
        var values = new[] { 0f, 0.1f, float.NegativeInfinity, 0.9f, 1f, float.PositiveInfinity };
        var labels = new[] { false, false, false, true, true, true };
        // 9 slots: slots 0-7 go through the 8-wide vector path, slot 8 through the scalar path
        var data = Build(ml, values.Select(v => Enumerable.Repeat(v, 9).ToArray()).ToArray(), labels);

        var model = Options(ml, o => { o.NumberOfBins = 2; o.SlotsInOutput = 1; }).Fit(data);

        foreach (var score in model.Scores)
            Assert.AreEqual(Math.Log(2), score, 1e-12);
    }

    [TestMethod]
    public void Fit_QuantileBinning_SplitsAtQuantiles()
    {
        var ml = new MLContext(seed: 1);
        // values 1,2,3,100: equal-width with 2 bins puts 1,2,3 together; quantile bins split 1,2 | 3,100 like the label
        var data = Build(ml, new[] { new[] { 1f }, new[] { 2f }, new[] { 3f }, new[] { 100f } }, new[] { false, false, true, true });

        var equalWidth = Options(ml, o => { o.NumberOfBins = 2; o.SlotsInOutput = 1; }).Fit(data);
        var quantile = Options(ml, o => { o.NumberOfBins = 2; o.SlotsInOutput = 1; o.Binning = BinningStrategy.Quantile; }).Fit(data);

        // equal width: bins {1,2,3} {100}: (b0,F)=2 (b0,T)=1 (b1,T)=1 → (2/4)ln((2/4)/(3/4·1/2)) + (1/4)ln((1/4)/(3/4·1/2)) + (1/4)ln((1/4)/(1/4·1/2))
        double expectedEqualWidth = (0.5 * Math.Log(4.0 / 3)) + (0.25 * Math.Log(2.0 / 3)) + (0.25 * Math.Log(2));
        Assert.AreEqual(expectedEqualWidth, equalWidth.Scores[0], 1e-12);
        Assert.AreEqual(Math.Log(2), quantile.Scores[0], 1e-12);
    }

    [TestMethod]
    public void Fit_NoUsableLabel_ThrowsNamingTheLabelColumn()
    {
        var ml = new MLContext(seed: 1);
        var rows = new[] { new RegressionRow { Features = new[] { 1f }, Label = float.NaN }, new RegressionRow { Features = new[] { 2f }, Label = float.NaN } };
        var data = ml.Data.LoadFromEnumerable(rows, Definition<RegressionRow>(1));

        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Transforms.FeatureSelection.SelectByMutualInformation("Selected", "Features").Fit(data));

        Assert.AreEqual("No row of the data has a usable label in column 'Label' (all are missing or NaN); mutual information needs at least one.", e.Message);
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

        Assert.AreEqual("Column 'Class' must be Boolean, a UInt32 key of known count, Single or Double; received String. (Parameter 'inputSchema')", e.Message);
    }

    [TestMethod]
    public void Fit_ScalarFeatureColumn_ThrowsNamingColumnExpectedAndReceivedTypes()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new RegressionRow { Features = new[] { 1f }, Label = 1 } }, Definition<RegressionRow>(1));
        var estimator = ml.Transforms.FeatureSelection.SelectByMutualInformation("Selected", "Label", labelColumnName: "Label");

        var e = Assert.ThrowsExactly<ArgumentException>(() => estimator.Fit(data));

        Assert.AreEqual("Column 'Label' must be a known-size vector of Single; received Single. (Parameter 'inputSchema')", e.Message);
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
    public void SaveScoresHeatMap_WritesPngOfGridSize()
    {
        var ml = new MLContext(seed: 1);
        var model = Options(ml, o => o.NumberOfBins = 3).Fit(TableView(ml));
        var path = TestData.TempPath(".png");

        model.SaveScoresHeatMap(path, columns: 2, cellSize: 5, markSelected: true);

        var bytes = File.ReadAllBytes(path);
        CollectionAssert.AreEqual(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }, bytes.Take(8).ToArray());
        Assert.AreEqual(10, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), "width: 2 cells of 5 px");
        Assert.AreEqual(10, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)), "height: 3 slots in rows of 2 → 2 rows of 5 px");
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

        Assert.AreEqual("torchsharp-not-loaded", loaderOutput);
        var expected = Columns.Vectors(model.Transform(data), "Selected");
        var actual = Columns.Vectors(loaded, "Selected");
        Assert.AreEqual(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.IsTrue(Columns.BitEqual(expected[i], actual[i]), $"row {i}");
        CollectionAssert.AreEqual(new[] { "a", "b" }, TestData.SlotNames(loaded.Schema["Selected"]));
    }

    private static MutualInformationSelectingEstimator Options(MLContext ml, Action<MutualInformationSelectionOptions> set)
    {
        var options = new MutualInformationSelectionOptions { OutputColumnName = "Selected", InputColumnName = "Features", BiasCorrection = MutualInformationBiasCorrection.None };
        set(options);
        return ml.Transforms.FeatureSelection.SelectByMutualInformation(options);
    }

    private static IDataView TableView(MLContext ml, string[]? slotNames = null) => Build(ml, Table, TableLabels, slotNames);

    internal static IDataView Build(MLContext ml, float[][] features, bool[] labels, string[]? slotNames = null)
    {
        var definition = Definition<BinaryRow>(features[0].Length);
        if (slotNames is not null)
        {
            var names = new VBuffer<ReadOnlyMemory<char>>(slotNames.Length, slotNames.Select(s => s.AsMemory()).ToArray());
            definition["Features"].AddAnnotation("SlotNames", names, new VectorDataViewType(TextDataViewType.Instance, slotNames.Length));
        }
        return ml.Data.LoadFromEnumerable(features.Select((f, i) => new BinaryRow { Features = f, Label = labels[i] }), definition);
    }

    private static IDataView Load(MLContext ml, KeyRow[] rows) => ml.Data.LoadFromEnumerable(rows, Definition<KeyRow>(rows[0].Features.Length));

    private static SchemaDefinition Definition<T>(int size)
    {
        var definition = SchemaDefinition.Create(typeof(T));
        definition["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        return definition;
    }

    public sealed class BinaryRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();

        public bool Label { get; set; }
    }

    public sealed class KeyRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();

        public string Class { get; set; } = "";
    }

    public sealed class RegressionRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();

        public float Label { get; set; }
    }

    public sealed class SparseRow
    {
        public VBuffer<float> Features { get; set; }

        public bool Label { get; set; }
    }
}
