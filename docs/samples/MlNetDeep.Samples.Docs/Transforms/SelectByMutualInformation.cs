using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep;

namespace Samples.Dynamic.Transforms.FeatureSelection;

public static class SelectByMutualInformation
{
    // This example keeps the feature slots that share the most information with the label, and shows every
    // slot's score (ML.NET's own selector hides them).
    public static void Example()
    {
        // Create a new context for ML.NET operations.
        var mlContext = new MLContext(seed: 0);

        // Create synthetic data: slot 0 equals the label, slot 1 agrees with it 80% of the time, slots 2 and 3 are noise.
        var random = new Random(0);
        var samples = new List<DataPoint>();
        for (int i = 0; i < 200; i++)
        {
            bool label = random.NextDouble() > 0.5;
            samples.Add(new DataPoint
            {
                Label = label,
                Features = new[]
                {
                    label ? 1f : 0f,
                    (random.NextDouble() < 0.8) == label ? 1f : 0f,
                    random.Next(2),
                    random.Next(2),
                },
            });
        }
        IDataView data = mlContext.Data.LoadFromEnumerable(samples);

        // Keep the 2 most informative slots.
        var pipeline = mlContext.Transforms.FeatureSelection.SelectByMutualInformation("Selected", nameof(DataPoint.Features),
            labelColumnName: nameof(DataPoint.Label), slotsInOutput: 2);
        var transformer = pipeline.Fit(data);

        // Every slot's score (Miller-Madow bias-corrected, so a pure-noise slot can score slightly below 0), and the slots kept.
        for (int slot = 0; slot < transformer.Scores.Count; slot++)
            Console.WriteLine($"Slot {slot}: mutual information {transformer.Scores[slot]:F3}");
        Console.WriteLine($"Selected slots: {string.Join(", ", transformer.SelectedSlots)}");

        // The first rows, reduced to the selected slots.
        var transformedData = transformer.Transform(data);
        foreach (var row in mlContext.Data.CreateEnumerable<TransformedDataPoint>(transformedData, reuseRowObject: false).Take(3))
            Console.WriteLine($"Label: {row.Label}, Features: [{string.Join(", ", row.Features)}], Selected: [{string.Join(", ", row.Selected)}]");

        // Expected output:
        //   Slot 0: mutual information 0.692
        //   Slot 1: mutual information 0.217
        //   Slot 2: mutual information 0.002
        //   Slot 3: mutual information -0.002
        //   Selected slots: 0, 1
        //   Label: True, Features: [1, 0, 1, 1], Selected: [1, 0]
        //   Label: False, Features: [0, 0, 1, 0], Selected: [0, 0]
        //   Label: True, Features: [1, 1, 0, 0], Selected: [1, 1]
    }

    // The input: a Boolean label and 4 features.
    private class DataPoint
    {
        public bool Label { get; set; }

        [VectorType(4)]
        public float[] Features { get; set; } = Array.Empty<float>();
    }

    // The output adds the selected slots.
    private sealed class TransformedDataPoint : DataPoint
    {
        public float[] Selected { get; set; } = Array.Empty<float>();
    }
}
