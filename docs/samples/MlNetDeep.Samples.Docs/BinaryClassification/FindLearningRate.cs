using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep;

namespace Samples.Dynamic.Trainers.BinaryClassification;

public static class FindLearningRate
{
    // This example runs the learning-rate range test (Smith 2017, fastai's lr_find) before training: the rate
    // grows exponentially over mini-batches while the loss is recorded, and the suggestion is the rate where the
    // smoothed loss fell fastest. The same method exists on the multiclass and regression trainers.
    public static void Example()
    {
        // Create a new context for ML.NET operations.
        var mlContext = new MLContext(seed: 0);

        // Create synthetic training data.
        IDataView trainingData = mlContext.Data.LoadFromEnumerable(GenerateRandomDataPoints(1000, seed: 0));

        // The trainer whose learning rate is sought.
        var trainer = mlContext.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions
        {
            HiddenLayerSizes = new[] { 16 },
            Optimizer = OptimizerKind.Adam,
            BatchSize = 16,
            Seed = 1,
        });

        // 100 mini-batches, the rate growing from 1e-7 to 10 (the defaults).
        var result = trainer.FindLearningRate(trainingData, new LearningRateFinderOptions());

        Console.WriteLine($"Steps recorded: {result.LearningRates.Count}");
        Console.WriteLine($"Suggested learning rate: {result.SuggestedLearningRate:G2}");
        Console.WriteLine($"Lowest loss at: {result.MinimumLossLearningRate:G2}");
        Console.WriteLine($"Stopped: {result.StopReason}");

        // Train with the suggestion: DenseNetworkOptions.LearningRate = result.SuggestedLearningRate.

        // Expected output:
        //   Steps recorded: 100
        //   Suggested learning rate: 0.089
        //   Lowest loss at: 0.89
        //   Stopped: reached the last rate, 10, without the loss exploding
    }

    private static IEnumerable<DataPoint> GenerateRandomDataPoints(int count, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            bool label = random.NextDouble() > 0.5;
            yield return new DataPoint
            {
                Label = label,
                Features = Enumerable.Range(0, 10).Select(_ => (float)random.NextDouble() + (label ? 0.3f : 0f)).ToArray(),
            };
        }
    }

    // Example with label and 10 feature values.
    private sealed class DataPoint
    {
        public bool Label { get; set; }

        [VectorType(10)]
        public float[] Features { get; set; } = Array.Empty<float>();
    }
}
