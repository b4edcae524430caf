using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Trainers.Tests;

/// <summary>
/// A leak test on the process's resident memory, not on tensor counts: TorchSharp objects freed only by finalizers
/// once fragmented the native heap by one weight-sized block per batch while live tensors stayed constant.
/// </summary>
[TestClass]
public sealed class NativeMemoryTests
{
    [TestMethod]
    public void Fit_ResidentMemoryStaysFlatEpochOverEpoch()
    {
        if (!File.Exists("/proc/self/status"))
            Assert.Inconclusive("needs /proc/self/status (Linux)");
        var ml = new MLContext(1);
        var random = new Random(1);
        var rows = Enumerable.Range(0, 6400).Select(i => new WideRow
        {
            Features = Enumerable.Range(0, 784).Select(_ => (float)random.NextDouble()).ToArray(),
            Label = (uint)(i % 10), // LoadFromEnumerable stores a key member v as key v + 1
        }).ToArray();
        var definition = SchemaDefinition.Create(typeof(WideRow));
        definition["Label"].ColumnType = new KeyDataViewType(typeof(uint), 10);
        var data = ml.Data.LoadFromEnumerable(rows, definition);
        var rss = new List<long>();
        var options = new DenseNetworkOptions
        {
            HiddenLayerSizes = new[] { 512 },
            Epochs = 8,
            BatchSize = 128,
            Seed = 1,
            Progress = new Recorder(() => rss.Add(ResidentMegabytes())),
        };

        var trainer = ml.MulticlassClassification.Trainers.DenseNetwork(options);

        // Objects freed only by finalizers leak for as long as no GC runs; in a real app a big heap often goes a
        // whole Fit without one. A no-GC region reproduces that here (Fit allocates little managed memory).
        bool noGc = GC.TryStartNoGCRegion(200_000_000);
        try
        {
            trainer.Fit(data);
        }
        finally
        {
            if (noGc && System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion)
                GC.EndNoGCRegion();
        }

        // 50 batches per epoch with a 1.6 MB first-layer kernel: the old leak grew RSS by ~80 MB per epoch
        Console.WriteLine("RSS per epoch (MB): " + string.Join(", ", rss));
        long growth = rss[^1] - rss[2];
        Assert.IsLessThan(40, growth, "RSS per epoch (MB): " + string.Join(", ", rss.Select(r => r.ToString(CultureInfo.InvariantCulture))));
    }

    private static long ResidentMegabytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        return 0;
    }

    public sealed class WideRow
    {
        [VectorType(784)]
        public float[] Features { get; set; } = new float[784];

        public uint Label { get; set; }
    }

    private sealed class Recorder : IProgress<EpochMetrics>
    {
        private readonly Action _record;

        public Recorder(Action record) => _record = record;

        public void Report(EpochMetrics value) => _record();
    }
}
