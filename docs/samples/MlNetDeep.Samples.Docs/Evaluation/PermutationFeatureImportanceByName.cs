using Microsoft.ML;
using MlNetDeep;

namespace Samples.Dynamic.Evaluation;

public static class PermutationFeatureImportanceByName
{
    // This example measures how much a fitted pipeline relies on each feature: shuffle one feature's values across
    // rows and see how much the metric drops. Unlike ML.NET's PermutationFeatureImportance, it takes the whole
    // pipeline and names each feature by its slot name.
    public static void Example()
    {
        // Create a new context for ML.NET operations.
        var mlContext = new MLContext(seed: 0);

        // Synthetic data: Income decides the label, Age helps a little, ShoeSize is noise.
        IDataView data = mlContext.Data.LoadFromEnumerable(GenerateRandomDataPoints(400, seed: 0));

        // Concatenate names the slots after their columns: Age, Income, ShoeSize.
        var pipeline = mlContext.Transforms.Concatenate("Features", nameof(DataPoint.Age), nameof(DataPoint.Income), nameof(DataPoint.ShoeSize))
            .Append(mlContext.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions
            {
                HiddenLayerSizes = new[] { 8 },
                Optimizer = OptimizerKind.Adam,
                LearningRate = 0.01,
                Epochs = 20,
                BatchSize = 32,
                Seed = 1,
            }));
        var model = pipeline.Fit(data);

        // Shuffle each feature 3 times, seeded.
        var importance = mlContext.BinaryClassification.PermutationFeatureImportanceByName(model, data, permutationCount: 3, seed: 1);

        foreach (var feature in importance.Ranked())
        {
            var delta = feature.GetDelta(importance.PrimaryMetric);
            Console.WriteLine($"{feature.Name}: {importance.PrimaryMetric} change {delta.Mean:F3} (SD {delta.StandardDeviation:F3})");
        }

        // Expected output:
        //   Income: AreaUnderRocCurve change -0.454 (SD 0.044)
        //   Age: AreaUnderRocCurve change -0.031 (SD 0.006)
        //   ShoeSize: AreaUnderRocCurve change -0.001 (SD 0.000)
    }

    private static IEnumerable<DataPoint> GenerateRandomDataPoints(int count, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            float age = (float)random.NextDouble();
            float income = (float)random.NextDouble();
            float shoeSize = (float)random.NextDouble();
            yield return new DataPoint
            {
                Age = age,
                Income = income,
                ShoeSize = shoeSize,
                Label = 2 * income + 0.5 * age + 0.3 * random.NextDouble() > 1.4,
            };
        }
    }

    // Three named features and a label.
    private sealed class DataPoint
    {
        public float Age { get; set; }

        public float Income { get; set; }

        public float ShoeSize { get; set; }

        public bool Label { get; set; }
    }
}
