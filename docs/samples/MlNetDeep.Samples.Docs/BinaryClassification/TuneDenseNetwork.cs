using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep;

namespace Samples.Dynamic.Trainers.BinaryClassification;

public static class TuneDenseNetwork
{
    // This example searches DenseNetworkOptions the lecture's way: beat a baseline, then grow the network until it
    // overfits, then regularize, every trial cross-validated. Budgets are tiny here so the sample runs in seconds;
    // the same method exists on the multiclass and regression catalogs.
    public static void Example()
    {
        // Create a new context for ML.NET operations.
        var mlContext = new MLContext(seed: 0);

        // Create synthetic training data.
        IDataView trainingData = mlContext.Data.LoadFromEnumerable(GenerateRandomDataPoints(300, seed: 0));

        var result = mlContext.BinaryClassification.TuneDenseNetwork(trainingData, new DenseNetworkTuningOptions
        {
            MaxTrials = 3,
            NumberOfFolds = 2,
            NumberOfRepeats = 1,
            MaxParallelTrials = 1,          // one trial at a time: the same trials in the same order on every run
            Architectures = new List<int[]> { new[] { 8 }, new[] { 16 } },
            BaseOptions = new DenseNetworkOptions { Epochs = 5, BatchSize = 32 },
            Seed = 1,
        });

        foreach (var trial in result.Trials)
            Console.WriteLine($"Trial {trial.Index} ({trial.Stage}): {trial.Change}; {result.MetricName} {trial.Metric.Mean:F3}");
        Console.WriteLine($"Best trial: {result.BestTrial.Index}, hidden layers [{string.Join(", ", result.BestOptions.HiddenLayerSizes ?? new[] { 64 })}]");

        // result.BestModel is the best options refitted on all the rows, ready to Transform.

        // Expected output:
        //   Trial 1 (Baseline): HiddenLayerSizes [8], LearningRate 0.001; HeldOutLoss 0.650
        //   Trial 2 (ScaleUp): HiddenLayerSizes [16], LearningRate 0.001; HeldOutLoss 0.643
        //   Trial 3 (Regularize): EarlyStopping (Patience 2, RestoreBestWeights); HeldOutLoss 0.679
        //   Best trial: 1, hidden layers [8]
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
                Features = Enumerable.Range(0, 5).Select(_ => (float)random.NextDouble() + (label ? 0.3f : 0f)).ToArray(),
            };
        }
    }

    // Example with label and 5 feature values.
    private sealed class DataPoint
    {
        public bool Label { get; set; }

        [VectorType(5)]
        public float[] Features { get; set; } = Array.Empty<float>();
    }
}
