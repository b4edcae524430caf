using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep;

namespace Samples.Dynamic.Transforms;

public static class AppendNoiseChannels
{
    // This example appends random noise channels to a feature vector (the lecture's "MNIST with white-noise
    // channels" experiment): a model that fits the noise memorises instead of learning.
    public static void Example()
    {
        // Create a new context for ML.NET operations.
        var mlContext = new MLContext(seed: 0);

        // Create a small data set with 3 real features per row.
        var samples = new[]
        {
            new DataPoint { Features = new float[] { 1, 2, 3 } },
            new DataPoint { Features = new float[] { 4, 5, 6 } },
        };
        IDataView data = mlContext.Data.LoadFromEnumerable(samples);

        // Append 4 uniform noise channels in [0, 1), seeded so every run draws the same values.
        var pipeline = mlContext.Transforms.AppendNoiseChannels("Noisy", nameof(DataPoint.Features), numberOfChannels: 4, kind: NoiseKind.Uniform, seed: 42);
        var transformer = pipeline.Fit(data);
        var noise = transformer.NoiseChannelRange;
        Console.WriteLine($"Noise slots: {noise.Start} to {noise.End - 1}");

        // Each row keeps its features and gains 4 noise values.
        var transformedData = transformer.Transform(data);
        foreach (var row in mlContext.Data.CreateEnumerable<TransformedDataPoint>(transformedData, reuseRowObject: false))
            Console.WriteLine(string.Join(", ", row.Noisy.Select(v => v.ToString("F2"))));

        // Expected output:
        //   Noise slots: 3 to 6
        //   1.00, 2.00, 3.00, 0.33, 0.64, 0.58, 0.16
        //   4.00, 5.00, 6.00, 0.99, 0.02, 0.99, 0.73
    }

    // The input: 3 features per row.
    private class DataPoint
    {
        [VectorType(3)]
        public float[] Features { get; set; } = Array.Empty<float>();
    }

    // The output: the features followed by the noise channels.
    private sealed class TransformedDataPoint : DataPoint
    {
        public float[] Noisy { get; set; } = Array.Empty<float>();
    }
}
