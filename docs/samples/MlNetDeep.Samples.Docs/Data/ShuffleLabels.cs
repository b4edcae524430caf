using Microsoft.ML;
using MlNetDeep;

namespace Samples.Dynamic.Data;

public static class ShuffleLabels
{
    // This example permutes the label column across rows (the lecture's "MNIST with shuffled labels"
    // experiment): the features stay, their link to the labels is gone, so any accuracy above chance is memorisation.
    public static void Example()
    {
        // Create a new context for ML.NET operations.
        var mlContext = new MLContext(seed: 0);

        // Create a small data set whose label equals its feature.
        var samples = Enumerable.Range(0, 8).Select(i => new DataPoint { Feature = i, Label = i }).ToArray();
        IDataView data = mlContext.Data.LoadFromEnumerable(samples);

        // Shuffle the labels with a fixed seed: the same permutation on every run.
        IDataView shuffled = mlContext.Data.ShuffleLabels(data, labelColumnName: nameof(DataPoint.Label), seed: 1);

        // The features keep their order; the labels are a permutation of the original ones.
        foreach (var row in mlContext.Data.CreateEnumerable<DataPoint>(shuffled, reuseRowObject: false))
            Console.WriteLine($"Feature: {row.Feature}, Label: {row.Label}");

        // Expected output:
        //   Feature: 0, Label: 4
        //   Feature: 1, Label: 6
        //   Feature: 2, Label: 7
        //   Feature: 3, Label: 5
        //   Feature: 4, Label: 3
        //   Feature: 5, Label: 2
        //   Feature: 6, Label: 0
        //   Feature: 7, Label: 1
    }

    // One feature and one label per row.
    private sealed class DataPoint
    {
        public float Feature { get; set; }

        public float Label { get; set; }
    }
}
