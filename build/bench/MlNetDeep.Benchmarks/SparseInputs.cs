using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Samples.Data;
using MlNetDeep.Training;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// Dense against sparse training rows (<see cref="DenseNetworkOptions.FeatureLayout"/>) on SpamAssassin through
/// FeaturizeText and through VectorizeBagOfWords with 100,000 words: peak RSS, seconds per epoch and test accuracy.
/// Peak RSS is a process's high-water mark, so every configuration runs in its own child process; the children run
/// interleaved (dense, sparse, dense, sparse, ...) and the load average is printed before and after.
/// Usage: sparse [--epochs N (3)] [--rounds N (2)] [--text-rows N (500)] [--bow-rows N (0 = the whole training split)] [--text-full] [--kernels]
/// </summary>
internal static class SparseInputs
{
    private const string ResultPrefix = "RESULT ";

    public static int Run(IReadOnlyList<string> arguments)
    {
        string Option(string name, string fallback) { int i = arguments.ToList().IndexOf(name); return i >= 0 && i + 1 < arguments.Count ? arguments[i + 1] : fallback; }
        if (arguments[0] == "sparse-child")
            return Child(Option("--featurizer", "text"), Enum.Parse<FeatureLayout>(Option("--layout", "Sparse")), Enum.Parse<SparseKernel>(Option("--kernel", "Gather")),
                int.Parse(Option("--rows", "500"), CultureInfo.InvariantCulture), int.Parse(Option("--epochs", "3"), CultureInfo.InvariantCulture));

        int epochs = int.Parse(Option("--epochs", "3"), CultureInfo.InvariantCulture);
        int rounds = int.Parse(Option("--rounds", "2"), CultureInfo.InvariantCulture);
        string textRows = Option("--text-rows", "500");
        string bowRows = Option("--bow-rows", "0");
        var configurations = new List<string[]>
        {
            new[] { "--featurizer", "text", "--rows", textRows, "--layout", "Dense" },
            new[] { "--featurizer", "text", "--rows", textRows, "--layout", "Sparse" },
            new[] { "--featurizer", "bow", "--rows", bowRows, "--layout", "Dense" },
            new[] { "--featurizer", "bow", "--rows", bowRows, "--layout", "Sparse" },
        };
        if (arguments.Contains("--text-full")) // sparse only: the whole split's rows × width is past the largest float[] (issue 12)
            configurations.Add(new[] { "--featurizer", "text", "--rows", "0", "--layout", "Sparse" });
        if (arguments.Contains("--kernels"))
            configurations.Add(new[] { "--featurizer", "bow", "--rows", bowRows, "--layout", "Sparse", "--kernel", "SparseMatrix" });
        Console.WriteLine($"SpamAssassin dense vs sparse rows, {epochs} epochs per run, {rounds} interleaved round(s), {Environment.ProcessorCount} cores; load average before: {LoadAverage()}");
        var results = new List<string>();
        for (int round = 1; round <= rounds; round++)
        {
            foreach (var configuration in configurations)
            {
                var line = RunChild(configuration.Concat(new[] { "--epochs", epochs.ToString(CultureInfo.InvariantCulture) }).ToArray());
                Console.WriteLine($"round {round}: {line}");
                results.Add(line);
            }
        }
        Console.WriteLine($"load average after: {LoadAverage()}");
        Summarize(results);
        return 0;
    }

    private static string RunChild(string[] arguments)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            start.ArgumentList.Add(typeof(SparseInputs).Assembly.Location);
        start.ArgumentList.Add("sparse-child");
        foreach (var a in arguments)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var result = output.Split('\n').FirstOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
        return result is null
            ? $"{string.Join(' ', arguments)} failed (exit {process.ExitCode}): {errors.Result.Split('\n').FirstOrDefault(l => l.Length > 0)}"
            : result[ResultPrefix.Length..].Trim();
    }

    /// <summary>The median of each configuration's rounds, and sparse against dense per featurizer.</summary>
    private static void Summarize(List<string> lines)
    {
        var parsed = lines.Where(l => l.Contains("s_per_epoch=", StringComparison.Ordinal)).Select(l => l.Split(' ').Select(p => p.Split('=')).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1])).ToList();
        Console.WriteLine();
        Console.WriteLine("| featurizer | rows | width | non-zeros/row | layout | kernel | peak RSS MB | s/epoch | accuracy |");
        Console.WriteLine("| --- | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: |");
        foreach (var group in parsed.GroupBy(p => (p["featurizer"], p["rows"], p["layout"], p["kernel"])))
        {
            var first = group.First();
            double Median(string key) { var v = group.Select(g => double.Parse(g[key], CultureInfo.InvariantCulture)).Order().ToArray(); return v[v.Length / 2]; }
            Console.WriteLine($"| {first["featurizer"]} | {first["rows"]} | {first["width"]} | {first["nnz_per_row"]} | {first["layout"]} | {first["kernel"]} | {Median("peak_mb"):F0} | {Median("s_per_epoch"):F3} | {first["accuracy"]} |");
        }
        foreach (var featurizer in parsed.Select(p => p["featurizer"]).Distinct())
        {
            double Median(string layout, string kernel, string key)
            {
                var v = parsed.Where(p => p["featurizer"] == featurizer && p["rows"] == parsed.First(q => q["featurizer"] == featurizer)["rows"] && p["layout"] == layout && p["kernel"] == kernel).Select(p => double.Parse(p[key], CultureInfo.InvariantCulture)).Order().ToArray();
                return v.Length == 0 ? double.NaN : v[v.Length / 2];
            }
            Console.WriteLine($"{featurizer}: sparse/dense peak RSS {Median("Sparse", "Gather", "peak_mb") / Median("Dense", "Gather", "peak_mb"):F2}, s/epoch {Median("Sparse", "Gather", "s_per_epoch") / Median("Dense", "Gather", "s_per_epoch"):F2}" +
                (double.IsNaN(Median("Sparse", "SparseMatrix", "s_per_epoch")) ? "" : $"; sparse kernels SparseMatrix/Gather s/epoch {Median("Sparse", "SparseMatrix", "s_per_epoch") / Median("Sparse", "Gather", "s_per_epoch"):F2}"));
        }
    }

    private static int Child(string featurizer, FeatureLayout layout, SparseKernel kernel, int rows, int epochs)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        SparseFirstLayer.Kernel = kernel;
        var corpus = DataSource.Resolve(null, full: true).Text;
        var split = corpus.Split(seed: 1);
        var trainRows = rows > 0 ? split.Train.Take(rows).ToList() : split.Train.ToList();
        var testRows = rows > 0 ? split.Test.Take(Math.Max(100, rows / 3)).ToList() : split.Test.ToList();
        var ml = new MLContext(1);
        var train = ml.Data.LoadFromEnumerable(trainRows);
        var test = ml.Data.LoadFromEnumerable(testRows);
        IEstimator<ITransformer> estimator = featurizer == "text"
            ? ml.Transforms.Text.FeaturizeText("Features", "Text")
            : ml.Transforms.Text.VectorizeBagOfWords("Features", "Text", maximumVocabularySize: 100_000);
        var vectorizer = estimator.Fit(train);
        var features = ml.Data.Cache(vectorizer.Transform(train), "Features", "Label");
        var (width, nonZeros) = Count(features);
        double before = ResidentMegabytes(), peakBefore = PeakResidentMegabytes();

        double trainingPeak = 0; // the high-water mark when the last epoch ends, before the model is built
        var options = new DenseNetworkOptions
        {
            FeatureLayout = layout, Epochs = epochs, BatchSize = 64, Seed = 1, Progress = new SynchronousProgress(_ => trainingPeak = PeakResidentMegabytes()),
        };
        var clock = Stopwatch.StartNew();
        string outcome;
        try
        {
            var model = ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(features);
            double fit = clock.Elapsed.TotalSeconds;
            var timed = model.History.Count > 1 ? model.History.Skip(1).ToArray() : model.History.ToArray(); // the first epoch warms libtorch up
            double perEpoch = timed.Average(e => e.Duration.TotalSeconds);
            double peak = PeakResidentMegabytes();
            var metrics = ml.BinaryClassification.EvaluateNonCalibrated(model.Transform(vectorizer.Transform(test)));
            outcome = string.Create(CultureInfo.InvariantCulture,
                $"peak_mb={peak:F0} rss_before_fit_mb={before:F0} peak_before_fit_mb={peakBefore:F0} peak_after_epochs_mb={trainingPeak:F0} s_per_epoch={perEpoch:F3} fit_s={fit:F1} accuracy={metrics.Accuracy:F4} sparse_path={model.TrainedOnSparseRows}");
        }
        catch (ArgumentException e)
        {
            outcome = string.Create(CultureInfo.InvariantCulture, $"peak_mb={PeakResidentMegabytes():F0} error=\"{e.Message}\"");
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{ResultPrefix}featurizer={featurizer} rows={trainRows.Count} test_rows={testRows.Count} width={width} nnz_per_row={(double)nonZeros / trainRows.Count:F0} layout={layout} kernel={kernel} {outcome}"));
        return 0;
    }

    private static (int Width, long NonZeros) Count(IDataView data)
    {
        var column = data.Schema["Features"];
        long nonZeros = 0;
        using var cursor = data.GetRowCursor(new[] { column });
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> row = default;
        while (cursor.MoveNext())
        {
            getter(ref row);
            foreach (float v in row.GetValues())
                if (v != 0)
                    nonZeros++;
        }
        return (((VectorDataViewType)column.Type).Size, nonZeros);
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static double ResidentMegabytes() => Status("VmRSS:");

    private static double PeakResidentMegabytes() => Status("VmHWM:");

    private static double Status(string key)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(key, StringComparison.Ordinal))
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        return double.NaN;
    }
}
