using Microsoft.ML;
using MlNetDeep;

namespace Samples.Dynamic.Data;

public static class TrainValidationTestSplit
{
    // This example splits rows three ways (the lecture's hold-out validation): train on the training set, tune on
    // the validation set, and look at the test set once, at the end. Stratified by the label, each set keeps
    // the class balance.
    public static void Example()
    {
        // Create a new context for ML.NET operations.
        var mlContext = new MLContext(seed: 0);

        // 20 rows, a quarter of them positive.
        var samples = Enumerable.Range(0, 20).Select(i => new DataPoint { Id = i, Label = i % 4 == 0 }).ToArray();
        IDataView data = mlContext.Data.LoadFromEnumerable(samples);

        // 60% train, 20% validation, 20% test, stratified by the label, seeded.
        var split = mlContext.Data.TrainValidationTestSplit(data, validationFraction: 0.2, testFraction: 0.2,
            stratificationColumnName: nameof(DataPoint.Label), seed: 1);

        Print("Train", mlContext, split.TrainSet);
        Print("Validation", mlContext, split.ValidationSet);
        Print("Test", mlContext, split.TestSet);

        // Expected output:
        //   Train: 12 rows, 3 positive; ids 0, 5, 6, 9, 10, 12, 14, 15, 16, 17, 18, 19
        //   Validation: 4 rows, 1 positive; ids 7, 8, 11, 13
        //   Test: 4 rows, 1 positive; ids 1, 2, 3, 4
    }

    private static void Print(string name, MLContext mlContext, IDataView set)
    {
        var rows = mlContext.Data.CreateEnumerable<DataPoint>(set, reuseRowObject: false).ToArray();
        Console.WriteLine($"{name}: {rows.Length} rows, {rows.Count(r => r.Label)} positive; ids {string.Join(", ", rows.Select(r => r.Id))}");
    }

    // An id to follow each row, and a label.
    private sealed class DataPoint
    {
        public int Id { get; set; }

        public bool Label { get; set; }
    }
}
