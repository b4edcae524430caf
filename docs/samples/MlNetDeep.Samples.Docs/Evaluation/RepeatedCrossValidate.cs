using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep;

namespace Samples.Dynamic.Evaluation;

public static class RepeatedCrossValidate
{
    // This example runs iterated K-fold cross-validation (K folds, reshuffled P times) of a dense network and
    // reports each metric's mean, standard deviation and 95% confidence interval over the K x P folds.
    public static void Example()
    {
        // Create a new context for ML.NET operations.
        var mlContext = new MLContext(seed: 0);

        // Create synthetic data and load it into an IDataView.
        IDataView data = mlContext.Data.LoadFromEnumerable(GenerateRandomDataPoints(300, seed: 0));

        // The estimator cross-validated: a small network, seeded.
        var pipeline = mlContext.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions
        {
            HiddenLayerSizes = new[] { 8 },
            Optimizer = OptimizerKind.Adam,
            LearningRate = 0.01,
            Epochs = 10,
            BatchSize = 32,
            Seed = 1,
        });

        // 3 folds, reshuffled twice: 6 fits. The seed fixes the folds.
        var result = mlContext.BinaryClassification.RepeatedCrossValidate(data, pipeline, numberOfFolds: 3, numberOfRepeats: 2, seed: 1);

        Console.WriteLine($"Folds: {result.Folds.Count}");
        var accuracy = result.GetMetric("Accuracy");
        Console.WriteLine($"Accuracy per fold: {string.Join(", ", accuracy.Values.Select(v => v.ToString("F2")))}");
        Console.WriteLine($"Accuracy: mean {accuracy.Mean:F2}, SD {accuracy.StandardDeviation:F2}, " +
            $"95% CI [{accuracy.ConfidenceIntervalLower:F2}, {accuracy.ConfidenceIntervalUpper:F2}]");

        // Expected output:
        //   Folds: 6
        //   Accuracy per fold: 0.85, 0.75, 0.83, 0.82, 0.85, 0.78
        //   Accuracy: mean 0.81, SD 0.04, 95% CI [0.77, 0.86]
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
                // Positive rows are shifted by +0.3 in every feature, so the classes overlap.
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
