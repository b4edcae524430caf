using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep;

namespace Samples.Dynamic.Trainers.Regression;

public static class DenseNetwork
{
    // This example trains a dense neural network for regression with the options overload and evaluates it.
    public static void Example()
    {
        // Create a new context for ML.NET operations.
        var mlContext = new MLContext(seed: 0);

        // Create synthetic training and test data and load them into IDataViews.
        IDataView trainingData = mlContext.Data.LoadFromEnumerable(GenerateRandomDataPoints(500, seed: 0));
        IDataView testData = mlContext.Data.LoadFromEnumerable(GenerateRandomDataPoints(200, seed: 123));

        // Define the trainer options: two hidden layers, Adam, a fixed seed for identical runs.
        var options = new DenseNetworkOptions
        {
            HiddenLayerSizes = new[] { 16, 16 },
            Optimizer = OptimizerKind.Adam,
            LearningRate = 0.01,
            Epochs = 30,
            BatchSize = 32,
            Seed = 1,
        };

        // Define the trainer and train the model.
        var pipeline = mlContext.Regression.Trainers.DenseNetwork(options);
        var model = pipeline.Fit(trainingData);

        // Score the test data and look at the first five predictions.
        IDataView transformedTestData = model.Transform(testData);
        var predictions = mlContext.Data.CreateEnumerable<Prediction>(transformedTestData, reuseRowObject: false).Take(5);
        foreach (var p in predictions)
            Console.WriteLine($"Label: {p.Label:F2}, Prediction: {p.Score:F2}");

        // Evaluate the overall metrics.
        var metrics = mlContext.Regression.Evaluate(transformedTestData);
        Console.WriteLine($"Mean Absolute Error: {metrics.MeanAbsoluteError:F2}");
        Console.WriteLine($"Root Mean Squared Error: {metrics.RootMeanSquaredError:F2}");
        Console.WriteLine($"RSquared: {metrics.RSquared:F2}");

        // Expected output:
        //   Label: 1.53, Prediction: 1.50
        //   Label: -0.51, Prediction: -0.54
        //   Label: -0.56, Prediction: -0.60
        //   Label: 0.28, Prediction: 0.36
        //   Label: 0.74, Prediction: 0.78
        //   Mean Absolute Error: 0.05
        //   Root Mean Squared Error: 0.06
        //   RSquared: 0.99
    }

    private static IEnumerable<DataPoint> GenerateRandomDataPoints(int count, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            var features = Enumerable.Range(0, 5).Select(_ => (float)random.NextDouble()).ToArray();
            // The label is a nonlinear function of the features plus a little noise.
            float label = features[0] + 2 * features[1] * features[2] - features[3] + 0.1f * (float)random.NextDouble();
            yield return new DataPoint { Label = label, Features = features };
        }
    }

    // Example with a label and 5 feature values. A data set is a collection of such examples.
    private sealed class DataPoint
    {
        public float Label { get; set; }

        [VectorType(5)]
        public float[] Features { get; set; } = Array.Empty<float>();
    }

    // Class used to capture predictions.
    private sealed class Prediction
    {
        public float Label { get; set; }

        public float Score { get; set; }
    }
}
