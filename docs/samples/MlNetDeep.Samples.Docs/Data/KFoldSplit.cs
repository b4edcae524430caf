using Microsoft.ML;
using MlNetDeep;

namespace Samples.Dynamic.Data;

public static class KFoldSplit
{
    // This example makes the folds of K-fold cross-validation, reshuffled for each repeat (iterated K-fold), for a
    // loop of your own: every row is in exactly one validation set per repeat.
    public static void Example()
    {
        // Create a new context for ML.NET operations.
        var mlContext = new MLContext(seed: 0);

        // 9 rows, numbered to follow them.
        var samples = Enumerable.Range(0, 9).Select(i => new DataPoint { Id = i, Label = i % 3 == 0 }).ToArray();
        IDataView data = mlContext.Data.LoadFromEnumerable(samples);

        // 3 folds, 2 repeats, stratified by the label, seeded.
        var folds = mlContext.Data.KFoldSplit(data, numberOfFolds: 3, numberOfRepeats: 2,
            stratificationColumnName: nameof(DataPoint.Label), seed: 1);

        foreach (var fold in folds)
        {
            var trainIds = mlContext.Data.CreateEnumerable<DataPoint>(fold.TrainSet, reuseRowObject: false).Select(r => r.Id);
            Console.WriteLine($"Repeat {fold.Repeat}, fold {fold.Fold}: validation rows {string.Join(", ", fold.ValidationRowIndices)}; " +
                $"train ids {string.Join(", ", trainIds)}");
        }

        // Expected output:
        //   Repeat 0, fold 0: validation rows 0, 2, 5; train ids 1, 3, 4, 6, 7, 8
        //   Repeat 0, fold 1: validation rows 3, 4, 8; train ids 0, 1, 2, 5, 6, 7
        //   Repeat 0, fold 2: validation rows 1, 6, 7; train ids 0, 2, 3, 4, 5, 8
        //   Repeat 1, fold 0: validation rows 4, 5, 6; train ids 0, 1, 2, 3, 7, 8
        //   Repeat 1, fold 1: validation rows 2, 3, 7; train ids 0, 1, 4, 5, 6, 8
        //   Repeat 1, fold 2: validation rows 0, 1, 8; train ids 2, 3, 4, 5, 6, 7
    }

    // An id to follow each row, and a label.
    private sealed class DataPoint
    {
        public int Id { get; set; }

        public bool Label { get; set; }
    }
}
