using System.Globalization;
using Microsoft.ML;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// Resident memory of the process after every epoch of a Fit (VmRSS and the peak VmHWM from /proc/self/status),
/// with the .NET GC count beside it: a native leak shows as RSS climbing between collections.
/// </summary>
internal static class Memory
{
    public static void Run(MLContext ml, IDataView view, int epochs, OptimizerKind optimizer, int? threads = null, bool libTorch = false)
    {
        Console.WriteLine($"before Fit: RSS {Rss("VmRSS")} MB, peak {Rss("VmHWM")} MB");
        var progress = new SyncProgress(m => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"epoch {m.Epoch,2}: RSS {Rss("VmRSS"),6} MB  peak {Rss("VmHWM"),6} MB  gen2 GCs {GC.CollectionCount(2),3}  {m.Duration.TotalSeconds:F2} s")));
        var options = new DenseNetworkOptions { HiddenLayerSizes = new[] { 512 }, BatchSize = 128, Epochs = epochs, Seed = 1, Optimizer = optimizer, Progress = progress, NumberOfThreads = threads };
        if (libTorch)
            options.Engine = MlNetDeep.Training.Managed.TrainingEngine.LibTorch; // the engine before the managed one took this model
        ml.MulticlassClassification.Trainers.DenseNetwork(options).Fit(view);
        Console.WriteLine($"after Fit: RSS {Rss("VmRSS")} MB, peak {Rss("VmHWM")} MB");
    }

    /// <summary>A line of /proc/self/status in MB (Linux); -1 elsewhere.</summary>
    public static long Rss(string field)
    {
        if (!File.Exists("/proc/self/status"))
            return -1;
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        return -1;
    }

    private sealed class SyncProgress : IProgress<EpochMetrics>
    {
        private readonly Action<EpochMetrics> _report;

        public SyncProgress(Action<EpochMetrics> report) => _report = report;

        public void Report(EpochMetrics value) => _report(value);
    }
}
