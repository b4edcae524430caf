using Microsoft.ML;
using Microsoft.ML.Data;
using static MlNetDeep.Transforms.Tests.MutualInformationData;

namespace MlNetDeep.Transforms.Tests;

[TestClass]
public sealed class MutualInformationScoringTests
{
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
    public void Fit_GroupsOfZerosSkippedByTheVectorPath_AreCountedInTheZeroBin()
    {
        var ml = new MLContext(seed: 1);
        // 24 slots (three 8-wide groups): slots 0-7 are 1 for true rows and 0 for false rows (an all-zero group),
        // slots 8-15 the reverse, slots 16-23 always 0; slot 3 of row 0 is 0.5 to mix zero and non-zero lanes
        var labels = Enumerable.Range(0, 10).Select(i => i % 2 == 0).ToArray();
        var rows = labels.Select(l => Enumerable.Range(0, 24).Select(j => j < 8 ? (l ? 1f : 0f) : j < 16 ? (l ? 0f : 1f) : 0f).ToArray()).ToArray();
        rows[0][3] = 0.5f;

        var model = Options(ml, o => { o.NumberOfBins = 2; o.SlotsInOutput = 1; }).Fit(Build(ml, rows, labels));

        foreach (var j in Enumerable.Range(0, 16).Where(j => j != 3))
            Assert.AreEqual(Math.Log(2), model.Scores[j], 1e-12, $"slot {j}");
        // slot 3 with 2 bins over [0, 1]: 0.5 falls in bin 1 with the true rows → still a perfect split
        Assert.AreEqual(Math.Log(2), model.Scores[3], 1e-12);
        foreach (var j in Enumerable.Range(16, 8))
            Assert.AreEqual(0.0, model.Scores[j], $"slot {j} is always 0");
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
}
