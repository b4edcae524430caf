using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MlNetDeep.Samples.Data;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// Cross-validation folds one after another against folds in parallel, interleaved in one run on the embedded
/// Fashion-MNIST subset (4,000 images, 784-128-10, 5 folds): wall time per configuration, the speed-up ratios, whether
/// every fold's metrics equal the sequential run's, and the load average around each run (other processes share the
/// cores). Then a model of the speed-up on more cores from the measured figures. Usage:
/// <c>folds [--rounds N (2)] [--epochs N (3)] [--folds K (5)]</c>.
/// </summary>
internal static class ParallelFolds
{
    public static void Run(int rounds, int epochs, int folds)
    {
        var source = DataSource.Resolve(null, full: false);
        var ml = new MLContext(1);
        var keys = ml.Transforms.Conversion.MapValueToKey("Label", keyData: ml.Data.LoadFromEnumerable(Enumerable.Range(0, 10).Select(i => new ClassValue { Label = i })));
        var raw = ml.Data.LoadFromEnumerable(source.Images.Train);
        var data = ml.Data.Cache(keys.Fit(raw).Transform(raw));
        int cores = Environment.ProcessorCount;
        Console.WriteLine($"Fashion-MNIST embedded subset: {source.Images.Train.Count} images, Dense 128 + softmax 10, {epochs} epochs, {folds} folds × 1 repeat; {cores} cores; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");

        IEstimator<ITransformer> Network(int threads) => ml.MulticlassClassification.Trainers.DenseNetwork(new DenseNetworkOptions
        {
            HiddenLayerSizes = new[] { 128 }, Epochs = epochs, BatchSize = 128, Seed = 1, NumberOfThreads = threads,
        });

        var configurations = new (string Name, int Threads, int Parallel)[]
        {
            ("sequential, 1 thread per fold", 1, 1),
            ($"sequential, {cores} threads per fold", cores, 1),
            ($"{cores} folds at once, 1 thread each", 1, cores),
        };
        var seconds = configurations.ToDictionary(c => c.Name, _ => new List<double>());
        IReadOnlyList<CrossValidationFoldResult<Microsoft.ML.Data.MulticlassClassificationMetrics>>? reference = null;
        bool allEqual = true;
        for (int round = 1; round <= rounds; round++)
        {
            foreach (var (name, threads, parallel) in configurations)
            {
                string before = LoadAverage();
                var clock = Stopwatch.StartNew();
                var result = ml.MulticlassClassification.RepeatedCrossValidate(data, Network(threads), numberOfFolds: folds, numberOfRepeats: 1, seed: 1, maxParallelFolds: parallel);
                double s = clock.Elapsed.TotalSeconds;
                seconds[name].Add(s);
                bool equal = true;
                if (threads == 1)
                {
                    reference ??= result.Folds;
                    equal = result.Folds.Zip(reference).All(p => p.First.MetricValues.SequenceEqual(p.Second.MetricValues));
                    allEqual &= equal;
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round}: {name,-36} {s,7:F1} s  accuracy {result.GetMetric("MicroAccuracy").Mean:F4}  {(threads == 1 ? (equal ? "folds equal the 1-thread sequential run" : "FOLDS DIFFER") : "(other thread count: other summation order)")}  load {before} → {LoadAverage()}"));
            }
        }

        double Median(string name) { var v = seconds[name].Order().ToArray(); return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2; }
        double sequential = Median(configurations[0].Name), widened = Median(configurations[1].Name), parallelWall = Median(configurations[2].Name);
        double speedUp = sequential / parallelWall, efficiency = speedUp / cores;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median of {rounds} round(s): {cores} parallel folds are {speedUp:F2}× as fast as sequential 1-thread folds (parallel efficiency {efficiency:P0}); sequential with {cores} threads per fold is {sequential / widened:F2}×; parallel folds vs {cores}-thread folds: {widened / parallelWall:F2}×"));
        Console.WriteLine(allEqual ? "every 1-thread run's fold metrics equal the sequential run's exactly" : "SOME 1-THREAD RUN DIFFERED FROM THE SEQUENTIAL RUN");

        // the model: W workers take K·P fold jobs in rounds of W, each fold slowed by the measured parallel efficiency
        double fold = sequential / folds;
        foreach (int target in new[] { 16 })
        {
            foreach (int jobs in new[] { folds, folds * 3 })
            {
                int workers = Math.Min(target, jobs);
                double wall = Math.Ceiling((double)jobs / workers) * fold / efficiency;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"model, {target} cores, {jobs} folds ({(jobs == folds ? "1 repeat" : "3 repeats")}): {workers} folds at once ⇒ {jobs * fold:F0} s sequential → {wall:F0} s, {jobs * fold / wall:F1}× (assumes the {efficiency:P0} efficiency measured here holds at {workers} workers; memory bandwidth shared by more cores can lower it)"));
            }
        }
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private sealed class ClassValue
    {
        public int Label { get; set; }
    }
}
