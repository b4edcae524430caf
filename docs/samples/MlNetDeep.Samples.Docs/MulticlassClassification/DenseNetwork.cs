using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep;

namespace Samples.Dynamic.Trainers.MulticlassClassification;

public static class DenseNetwork
{
    // This example trains a dense neural network for multiclass classification with the options overload:
    // the string label becomes a key, the network predicts a key, and the key maps back to the label's text.
    public static void Example()
    {
        // Create a new context for ML.NET operations.
        var mlContext = new MLContext(seed: 0);

        // Create synthetic training and test data and load them into IDataViews.
        IDataView trainingData = mlContext.Data.LoadFromEnumerable(GenerateRandomDataPoints(500, seed: 0));
        var testPoints = GenerateRandomDataPoints(200, seed: 123).ToList();
        IDataView testData = mlContext.Data.LoadFromEnumerable(testPoints);

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

        // Map the label to a key, train, and map the predicted key back to its text.
        var pipeline = mlContext.Transforms.Conversion.MapValueToKey(nameof(DataPoint.Label))
            .Append(mlContext.MulticlassClassification.Trainers.DenseNetwork(options))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue(nameof(Prediction.PredictedLabel)));
        var model = pipeline.Fit(trainingData);

        // Score the test data and look at the first five predictions.
        IDataView transformedTestData = model.Transform(testData);
        var predictions = mlContext.Data.CreateEnumerable<Prediction>(transformedTestData, reuseRowObject: false).Take(5);
        foreach (var (point, p) in testPoints.Zip(predictions))
            Console.WriteLine($"Label: {point.Label}, Prediction: {p.PredictedLabel}");

        // Evaluate the overall metrics.
        var metrics = mlContext.MulticlassClassification.Evaluate(transformedTestData);
        Console.WriteLine($"Micro Accuracy: {metrics.MicroAccuracy:F2}");
        Console.WriteLine($"Macro Accuracy: {metrics.MacroAccuracy:F2}");

        // Expected output:
        //   Label: C, Prediction: A
        //   Label: C, Prediction: C
        //   Label: A, Prediction: A
        //   Label: B, Prediction: B
        //   Label: C, Prediction: C
        //   Micro Accuracy: 0.97
        //   Macro Accuracy: 0.97
    }

    private static IEnumerable<DataPoint> GenerateRandomDataPoints(int count, int seed)
    {
        var random = new Random(seed);
        string[] classes = { "A", "B", "C" };
        for (int i = 0; i < count; i++)
        {
            int label = random.Next(classes.Length);
            // Each class shifts a different third of the features, so the classes overlap a little.
            var features = new float[9];
            for (int j = 0; j < features.Length; j++)
                features[j] = (float)random.NextDouble() + (j / 3 == label ? 0.5f : 0f);
            yield return new DataPoint { Label = classes[label], Features = features };
        }
    }

    // Example with a label and 9 feature values. A data set is a collection of such examples.
    private sealed class DataPoint
    {
        public string Label { get; set; } = "";

        [VectorType(9)]
        public float[] Features { get; set; } = Array.Empty<float>();
    }

    // Class used to capture predictions (the label column is a key after MapValueToKey).
    private sealed class Prediction
    {
        public string PredictedLabel { get; set; } = "";
    }
}
