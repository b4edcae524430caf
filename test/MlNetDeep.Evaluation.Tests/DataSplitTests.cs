using Microsoft.ML;
using MlNetDeep.TestUtilities;

namespace MlNetDeep.Evaluation.Tests;

[TestClass]
public sealed class DataSplitTests
{
    private readonly MLContext _ml = new(seed: 1);

    [TestMethod]
    public void KFoldSplit_Unstratified_ValidationFoldsPartitionRowsExactly()
    {
        var data = SyntheticData.Load(_ml, SyntheticData.BinaryRows(103, seed: 3));
        var folds = _ml.Data.KFoldSplit(data, numberOfFolds: 5, numberOfRepeats: 3, seed: 7);

        Assert.HasCount(15, folds);
        foreach (var repeat in folds.GroupBy(f => f.Repeat))
        {
            var all = repeat.SelectMany(f => f.ValidationRowIndices).OrderBy(i => i).ToArray();
            CollectionAssert.AreEqual(Enumerable.Range(0, 103).ToArray(), all, "every row in exactly one validation fold");
            foreach (var fold in repeat)
            {
                Assert.IsTrue(fold.ValidationRowIndices.Count is 20 or 21, $"fold size {fold.ValidationRowIndices.Count}");
                // the views hold exactly the rows the indices name, in source order
                CollectionAssert.AreEqual(fold.ValidationRowIndices.ToArray(), Columns.Scalars<int>(fold.ValidationSet, "Id"));
                var train = Columns.Scalars<int>(fold.TrainSet, "Id");
                Assert.HasCount(103 - fold.ValidationRowIndices.Count, train);
                Assert.IsFalse(train.Intersect(fold.ValidationRowIndices).Any());
                Assert.AreEqual(fold.ValidationRowIndices.Count, (int)fold.ValidationSet.GetRowCount()!);
            }
        }
    }

    [TestMethod]
    public void KFoldSplit_StratifiedTextLabel_EachClassWithinOneRowOfProportional()
    {
        int[] sizes = { 50, 23, 7 };
        var rows = SyntheticData.TextLabelRows(5, sizes);
        var data = SyntheticData.Load(_ml, rows);
        var folds = _ml.Data.KFoldSplit(data, numberOfFolds: 5, numberOfRepeats: 4, stratificationColumnName: "Label", seed: 11);

        foreach (var fold in folds)
        {
            for (int c = 0; c < sizes.Length; c++)
            {
                string label = ((char)('a' + c)).ToString();
                int count = fold.ValidationRowIndices.Count(i => rows[i].Label == label);
                Assert.IsLessThan(1.0, Math.Abs(count - sizes[c] / 5.0), $"class {label}: {count} rows in repeat {fold.Repeat} fold {fold.Fold}");
            }
        }
        foreach (var repeat in folds.GroupBy(f => f.Repeat))
            CollectionAssert.AreEqual(Enumerable.Range(0, 80).ToArray(), repeat.SelectMany(f => f.ValidationRowIndices).OrderBy(i => i).ToArray());
    }

    [TestMethod]
    public void KFoldSplit_SameSeed_SameFolds_DifferentSeed_DifferentFolds()
    {
        var data = SyntheticData.Load(_ml, SyntheticData.BinaryRows(60, seed: 3));
        static int[][] Folds(IReadOnlyList<FoldSplit> f) => f.Select(x => x.ValidationRowIndices.ToArray()).ToArray();
        var a = Folds(_ml.Data.KFoldSplit(data, 4, 2, "Label", seed: 42));
        var b = Folds(_ml.Data.KFoldSplit(data, 4, 2, "Label", seed: 42));
        var c = Folds(_ml.Data.KFoldSplit(data, 4, 2, "Label", seed: 43));

        for (int i = 0; i < a.Length; i++)
            CollectionAssert.AreEqual(a[i], b[i]);
        Assert.IsTrue(a.Zip(c).Any(p => !p.First.SequenceEqual(p.Second)), "a different seed gives different folds");
        // the two repeats of one run are different shuffles too
        Assert.IsFalse(a[0].SequenceEqual(a[4]) && a[1].SequenceEqual(a[5]));
    }

    [TestMethod]
    public void KFoldSplit_BoolFloatAndKeyLabels_Stratify()
    {
        var rows = SyntheticData.BinaryRows(90, seed: 8, positiveShare: 0.2);
        int positives = rows.Count(r => r.Label);
        var data = SyntheticData.Load(_ml, rows);
        var asFloat = _ml.Transforms.Conversion.ConvertType("LabelFloat", "Label", Microsoft.ML.Data.DataKind.Single).Fit(data).Transform(data);
        var asKey = _ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label").Fit(data).Transform(data);

        foreach (var column in new[] { "Label", "LabelFloat" })
            AssertBalanced(_ml.Data.KFoldSplit(column == "Label" ? data : asFloat, 3, 2, column, seed: 2));
        AssertBalanced(_ml.Data.KFoldSplit(asKey, 3, 2, "LabelKey", seed: 2));

        void AssertBalanced(IReadOnlyList<FoldSplit> folds)
        {
            foreach (var fold in folds)
            {
                int p = fold.ValidationRowIndices.Count(i => rows[i].Label);
                Assert.IsLessThan(1.0, Math.Abs(p - positives / 3.0));
            }
        }
    }

    [TestMethod]
    public void TrainValidationTestSplit_Stratified_SetsPartitionRowsAndKeepClassShares()
    {
        int[] sizes = { 60, 30, 10 };
        var rows = SyntheticData.TextLabelRows(4, sizes);
        var data = SyntheticData.Load(_ml, rows);
        var split = _ml.Data.TrainValidationTestSplit(data, validationFraction: 0.2, testFraction: 0.3, stratificationColumnName: "Label", seed: 5);

        Assert.HasCount(30, split.TestRowIndices);
        Assert.HasCount(20, split.ValidationRowIndices);
        Assert.HasCount(50, split.TrainRowIndices);
        CollectionAssert.AreEqual(Enumerable.Range(0, 100).ToArray(),
            split.TrainRowIndices.Concat(split.ValidationRowIndices).Concat(split.TestRowIndices).OrderBy(i => i).ToArray());
        CollectionAssert.AreEqual(split.TestRowIndices.ToArray(), Columns.Scalars<int>(split.TestSet, "Id"));
        for (int c = 0; c < sizes.Length; c++)
        {
            string label = ((char)('a' + c)).ToString();
            Assert.IsLessThan(1.0, Math.Abs(split.TestRowIndices.Count(i => rows[i].Label == label) - sizes[c] * 0.3), $"test share of {label}");
            Assert.IsLessThanOrEqualTo(2.0, Math.Abs(split.ValidationRowIndices.Count(i => rows[i].Label == label) - sizes[c] * 0.2), $"validation share of {label}");
        }
        var again = _ml.Data.TrainValidationTestSplit(data, 0.2, 0.3, "Label", seed: 5);
        CollectionAssert.AreEqual(split.TestRowIndices.ToArray(), again.TestRowIndices.ToArray());
    }

    [TestMethod]
    public void TrainValidationTestSplit_Unstratified_ZeroTestFractionGivesEmptyTestSet()
    {
        var data = SyntheticData.Load(_ml, SyntheticData.BinaryRows(10, seed: 1));
        var split = _ml.Data.TrainValidationTestSplit(data, validationFraction: 0.25, testFraction: 0, seed: 1);
        Assert.HasCount(3, split.ValidationRowIndices); // 2.5 rounds away from zero
        Assert.IsEmpty(split.TestRowIndices);
        Assert.IsEmpty(Columns.Scalars<int>(split.TestSet, "Id"));
        Assert.HasCount(7, Columns.Scalars<int>(split.TrainSet, "Id"));
    }

    [TestMethod]
    public void TrainValidationTestSplit_FractionsLeavingNoTrainingRows_Throw()
    {
        var data = SyntheticData.Load(_ml, SyntheticData.BinaryRows(10, seed: 1));
        var sum = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => _ml.Data.TrainValidationTestSplit(data, 0.5, 0.5));
        Assert.AreEqual("Invalid values for validationFraction and testFraction: expected a sum below 1 so training rows remain. Received: validationFraction=0.5, testFraction=0.5. (Parameter 'testFraction')", sum.Message);
        var one = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => _ml.Data.TrainValidationTestSplit(data, validationFraction: -0.1));
        Assert.AreEqual("Invalid value for validationFraction: expected a value in [0, 1). Received: validationFraction=-0.1. (Parameter 'validationFraction')", one.Message);
    }

    [TestMethod]
    public void KFoldSplit_FewerRowsThanFolds_Throws()
    {
        var data = SyntheticData.Load(_ml, SyntheticData.BinaryRows(7, seed: 1));
        var ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => _ml.Data.KFoldSplit(data, numberOfFolds: 10));
        Assert.AreEqual("Invalid value for numberOfFolds: expected at most the number of rows (7). Received: numberOfFolds=10. (Parameter 'numberOfFolds')", ex.Message);
    }

    [TestMethod]
    public void KFoldSplit_ClassSmallerThanFolds_ThrowsNamingTheClasses()
    {
        var data = SyntheticData.Load(_ml, SyntheticData.TextLabelRows(1, 20, 3, 1));
        var ex = Assert.ThrowsExactly<ArgumentException>(() => _ml.Data.KFoldSplit(data, 5, stratificationColumnName: "Label"));
        Assert.AreEqual("Cannot stratify 5 folds by column 'Label': class 'b' has 3 rows, class 'c' has 1 row. Every class needs at least numberOfFolds rows; use fewer folds or do not stratify. (Parameter 'data')", ex.Message);
    }

    [TestMethod]
    public void KFoldSplit_MissingStratificationColumn_ThrowsListingColumns()
    {
        var data = SyntheticData.Load(_ml, SyntheticData.BinaryRows(20, seed: 1));
        var ex = Assert.ThrowsExactly<ArgumentException>(() => _ml.Data.KFoldSplit(data, 5, stratificationColumnName: "Class"));
        Assert.AreEqual("Schema mismatch for label column 'Class': column not found; available columns: 'Id', 'Label', 'Features'. (Parameter 'stratificationColumnName')", ex.Message);
        var vector = Assert.ThrowsExactly<ArgumentException>(() => _ml.Data.KFoldSplit(data, 5, stratificationColumnName: "Features"));
        Assert.AreEqual("Schema mismatch for label column 'Features': expected a scalar, got Vector<Single, 6>. (Parameter 'stratificationColumnName')", vector.Message);
    }

    [TestMethod]
    public void KFoldSplit_BadCounts_Throw()
    {
        var data = SyntheticData.Load(_ml, SyntheticData.BinaryRows(20, seed: 1));
        var folds = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => _ml.Data.KFoldSplit(data, numberOfFolds: 1));
        Assert.AreEqual("Invalid value for numberOfFolds: expected at least 2. Received: numberOfFolds=1. (Parameter 'numberOfFolds')", folds.Message);
        var repeats = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => _ml.Data.KFoldSplit(data, numberOfRepeats: 0));
        Assert.AreEqual("Invalid value for numberOfRepeats: expected at least 1. Received: numberOfRepeats=0. (Parameter 'numberOfRepeats')", repeats.Message);
    }
}
