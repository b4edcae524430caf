using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// Fashion-MNIST (the first 48,000 training images unless told fewer, pixels / 255) with 784 uniform-noise channels appended by
/// AppendNoiseChannels: times SelectByMutualInformation against ML.NET's SelectFeaturesBasedOnMutualInformation
/// (both keep 784 of 1568 slots, 256 bins; best of 2 alternating runs) in one run and counts how many real pixels each keeps.
/// </summary>
internal static class MutualInformationBenchmark
{
    public static void Run(int rows)
    {
        const int pixels = 784;
        var ml = new MLContext(seed: 1);
        var (images, labels) = FashionMnist.Train(rows);
        var definition = SchemaDefinition.Create(typeof(ImageRow));
        definition[nameof(ImageRow.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, pixels);
        definition[nameof(ImageRow.Label)].ColumnType = new KeyDataViewType(typeof(uint), 10);
        var raw = ml.Data.LoadFromEnumerable(images.Select((x, i) => new ImageRow { Pixels = x, Label = labels[i] + 1u }), definition);

        var noisy = ml.Transforms.AppendNoiseChannels("Features", "Pixels", numberOfChannels: pixels, kind: NoiseKind.Uniform, seed: 7).Fit(raw);
        Console.WriteLine($"noise channels: slots {noisy.NoiseChannelRange.Start}..{noisy.NoiseChannelRange.Start + noisy.NoiseChannelRange.Count - 1}");
        // materialize once so both selectors read the same in-memory rows
        var clock = Stopwatch.StartNew();
        var data = ml.Data.Cache(ml.Transforms.SelectColumns("Features", "Label").Fit(noisy.Transform(raw)).Transform(noisy.Transform(raw)));
        using (var c = data.GetRowCursor(data.Schema)) while (c.MoveNext()) { }
        Console.WriteLine($"data: {rows} x {2 * pixels} materialized in {clock.Elapsed.TotalSeconds:F2} s");

        clock.Restart();
        using (var c = data.GetRowCursor(new[] { data.Schema["Features"] }))
        {
            var g = c.GetGetter<VBuffer<float>>(data.Schema["Features"]);
            VBuffer<float> v = default;
            var dense = new float[2 * pixels];
            while (c.MoveNext()) { g(ref v); v.CopyTo(dense); }
        }
        Console.WriteLine($"one read pass over the cached rows: {clock.Elapsed.TotalSeconds:F2} s");

        // warm-up on a small slice (JIT), not timed
        var small = ml.Data.TakeRows(data, 500);
        ml.Transforms.FeatureSelection.SelectByMutualInformation("Selected", "Features", slotsInOutput: pixels).Fit(small);
        ml.Transforms.FeatureSelection.SelectFeaturesBasedOnMutualInformation("Selected", "Features", slotsInOutput: pixels).Fit(small);

        // best of 2 alternating runs each (the machine is shared)
        MutualInformationSelectingTransformer ours = null!;
        ITransformer theirs = null!;
        double oursSeconds = double.MaxValue, theirsSeconds = double.MaxValue;
        for (int run = 0; run < 2; run++)
        {
            clock.Restart();
            ours = ml.Transforms.FeatureSelection.SelectByMutualInformation("Selected", "Features", slotsInOutput: pixels).Fit(data);
            oursSeconds = Math.Min(oursSeconds, clock.Elapsed.TotalSeconds);

            clock.Restart();
            theirs = ml.Transforms.FeatureSelection.SelectFeaturesBasedOnMutualInformation("Selected", "Features", slotsInOutput: pixels).Fit(data);
            theirsSeconds = Math.Min(theirsSeconds, clock.Elapsed.TotalSeconds);
        }

        int oursReal = ours.SelectedSlots.Count(j => j < pixels);
        int theirsReal = KeptSlotsOf(theirs, data).Count(j => j < pixels);
        Console.WriteLine($"SelectByMutualInformation (MlNetDeep):             {oursSeconds,7:F2} s, keeps {oursReal}/{pixels} real pixels ({100.0 * oursReal / pixels:F1}%)");
        Console.WriteLine($"SelectFeaturesBasedOnMutualInformation (ML.NET):   {theirsSeconds,7:F2} s, keeps {theirsReal}/{pixels} real pixels ({100.0 * theirsReal / pixels:F1}%)");
        Console.WriteLine($"speed ratio (ML.NET / MlNetDeep): {theirsSeconds / oursSeconds:F1}x ({rows} rows, {Environment.ProcessorCount} cores)");
        var best = ours.Scores.Take(pixels).Max();
        var bestNoise = ours.Scores.Skip(pixels).Max();
        Console.WriteLine($"highest pixel score {best:F4} nats, highest noise score {bestNoise:F4} nats");
        var heatMap = Path.Combine(Path.GetTempPath(), "fashion-mnist-mi.png");
        HeatMapPlot.ForMutualInformation(ours.Scores, ours.SelectedSlots, columns: 28).SavePng(heatMap);
        Console.WriteLine($"heat map (56 x 28 cells: pixels above, noise below): {heatMap}");
    }

    /// <summary>Which input slots ML.NET's selector kept: transform a one-row view whose slot j holds j + 1.</summary>
    private static int[] KeptSlotsOf(ITransformer selector, IDataView data)
    {
        var ml = new MLContext();
        int size = ((VectorDataViewType)data.Schema["Features"].Type).Size;
        var definition = SchemaDefinition.Create(typeof(ProbeRow));
        definition[nameof(ProbeRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        definition[nameof(ProbeRow.Label)].ColumnType = new KeyDataViewType(typeof(uint), 10);
        var probe = ml.Data.LoadFromEnumerable(new[] { new ProbeRow { Features = Enumerable.Range(1, size).Select(j => (float)j).ToArray(), Label = 1 } }, definition);
        var output = selector.Transform(probe);
        using var cursor = output.GetRowCursor(new[] { output.Schema["Selected"] });
        var getter = cursor.GetGetter<VBuffer<float>>(output.Schema["Selected"]);
        VBuffer<float> kept = default;
        cursor.MoveNext();
        getter(ref kept);
        return kept.DenseValues().Select(v => (int)v - 1).ToArray();
    }

    private sealed class ImageRow
    {
        public float[] Pixels { get; set; } = Array.Empty<float>();

        public uint Label { get; set; }
    }

    private sealed class ProbeRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();

        public uint Label { get; set; }
    }
}
