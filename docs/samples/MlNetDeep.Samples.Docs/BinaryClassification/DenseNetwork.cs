using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep;

namespace Samples.Dynamic.Trainers.BinaryClassification;

public static class DenseNetwork
{
    // This example trains a dense neural network for binary classification with the options overload,
    // evaluates it on held-out rows and prints a few predictions.
    public static void Example()
    {
        // Create a new context for ML.NET operations. The seed makes the data split repeatable.
        var mlContext = new MLContext(seed: 0);

        // Create synthetic training and test data and load them into IDataViews.
        IDataView trainingData = mlContext.Data.LoadFromEnumerable(GenerateRandomDataPoints(500, seed: 0));
        IDataView testData = mlContext.Data.LoadFromEnumerable(GenerateRandomDataPoints(200, seed: 123));

        // Define the trainer options: one hidden layer of 16 units, Adam, a fixed seed for identical runs.
        var options = new DenseNetworkOptions
        {
            HiddenLayerSizes = new[] { 16 },
            Optimizer = OptimizerKind.Adam,
            LearningRate = 0.01,
            Epochs = 20,
            BatchSize = 32,
            Seed = 1,
        };

        // Define the trainer and train the model.
        var pipeline = mlContext.BinaryClassification.Trainers.DenseNetwork(options);
        var model = pipeline.Fit(trainingData);

        // The fitted transformer keeps the history of every epoch.
        Console.WriteLine($"Epochs trained: {model.History.Count}");
        Console.WriteLine($"Last training loss: {model.History.Losses[^1]:F2}");

        // Score the test data and look at the first five predictions.
        IDataView transformedTestData = model.Transform(testData);
        var predictions = mlContext.Data.CreateEnumerable<Prediction>(transformedTestData, reuseRowObject: false).Take(5);
        foreach (var p in predictions)
            Console.WriteLine($"Label: {p.Label}, Prediction: {p.PredictedLabel}, Probability: {p.Probability:F2}");

        // Evaluate the overall metrics.
        var metrics = mlContext.BinaryClassification.Evaluate(transformedTestData);
        Console.WriteLine($"Accuracy: {metrics.Accuracy:F2}");
        Console.WriteLine($"AUC: {metrics.AreaUnderRocCurve:F2}");

        // Expected output:
        //   Epochs trained: 20
        //   Last training loss: 0.02
        //   Label: True, Prediction: True, Probability: 1.00
        //   Label: False, Prediction: False, Probability: 0.00
        //   Label: True, Prediction: True, Probability: 1.00
        //   Label: False, Prediction: False, Probability: 0.01
        //   Label: True, Prediction: True, Probability: 0.96
        //   Accuracy: 0.99
        //   AUC: 1.00
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
                // Positive rows are shifted by +0.5 in every feature, so the classes overlap a little.
                Features = Enumerable.Repeat(label, 10).Select(x => x ? (float)random.NextDouble() + 0.5f : (float)random.NextDouble()).ToArray(),
            };
        }
    }

    // Example with label and 10 feature values. A data set is a collection of such examples.
    private sealed class DataPoint
    {
        public bool Label { get; set; }

        [VectorType(10)]
        public float[] Features { get; set; } = Array.Empty<float>();
    }

    // Class used to capture predictions.
    private sealed class Prediction
    {
        public bool Label { get; set; }

        public bool PredictedLabel { get; set; }

        public float Probability { get; set; }
    }
}
