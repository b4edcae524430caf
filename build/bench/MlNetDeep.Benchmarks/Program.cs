using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep;
using MlNetDeep.Benchmarks;
using MlNetDeep.Native;
using MlNetDeep.Samples.Data;

// Parallel cross-validation folds: dotnet run -c Release --project build/bench/MlNetDeep.Benchmarks -- folds [--rounds N] [--epochs N]
// Usage: dotnet run -c Release --project build/bench/MlNetDeep.Benchmarks -- trainer [--epochs N (10)] [--rows N (48000)] [--rounds N (2)] [--noise] [--adam] [--phases]
//        ... -- memory|peer [--unknown-count] ...   (the rows as a sequence whose length ML.NET cannot tell, as a text loader's)
//        ... -- stream [--sizes 100000,1000000,10000000] [--memory-max 1000000] [--epochs 1]   (issue 12: streamed training of a generated IDataView)
// Prints MlNetDeep's epoch time against a raw TorchSharp loop measured in the same process, and against the
// PyTorch 1.13 reference of issue 2 (0.86 s/epoch on this kind of machine; PyTorch itself is not installed here).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var arguments = args.ToList();
int Option(string name, int fallback) { int i = arguments.IndexOf(name); return i >= 0 && i + 1 < arguments.Count ? int.Parse(arguments[i + 1], CultureInfo.InvariantCulture) : fallback; }
if (arguments.Count > 0 && arguments[0] == "stream")
    return MlNetDeep.Benchmarks.Streaming.Run(arguments);
if (arguments.Count > 0 && arguments[0] == "stream-one")
    return MlNetDeep.Benchmarks.Streaming.RunOne(arguments);
if (arguments.Count > 0 && arguments[0] == "tune")
{
    int minutes = arguments.IndexOf("--minutes") is int m and >= 0 && m + 1 < arguments.Count ? int.Parse(arguments[m + 1], CultureInfo.InvariantCulture) : 5;
    int d = arguments.IndexOf("--data");
    string data = d >= 0 && d + 1 < arguments.Count ? arguments[d + 1] : "images";
    if (data == "mails")
        return MlNetDeep.Benchmarks.Tuning.RunMails(minutes);
    if (data != "images")
    {
        Console.Error.WriteLine($"error: --data must be images or mails, not '{data}'.");
        return 2;
    }
    MlNetDeep.Benchmarks.Tuning.Run(minutes);
    return 0;
}
if (arguments.Count > 0 && arguments[0] == "folds")
{
    MlNetDeep.Benchmarks.ParallelFolds.Run(Option("--rounds", 2), Option("--epochs", 3), Option("--folds", 5));
    return 0;
}
if (arguments.Count > 0 && arguments[0] is "sparse" or "sparse-child")
    return MlNetDeep.Benchmarks.SparseInputs.Run(arguments);
if (arguments.Count > 0 && arguments[0] == "steps")
    return MlNetDeep.Benchmarks.OptimizerSteps.Run(arguments);
if (arguments.Count > 0 && arguments[0] == "manual-backward")
    return MlNetDeep.Benchmarks.ManualBackward.Run(arguments);
if (arguments.Count > 0 && arguments[0] == "forward-ops")
    return MlNetDeep.Benchmarks.ForwardOps.Run(arguments);
if (arguments.Count > 0 && arguments[0] == "step-anatomy")
    return MlNetDeep.Benchmarks.StepAnatomy.Run(arguments);
if (arguments.Count > 0 && arguments[0] == "gemm")
    return MlNetDeep.Benchmarks.FlopBound.Run(arguments);
if (arguments.Count > 0 && arguments[0] == "tabular")
    return MlNetDeep.Benchmarks.Tabular.Run(arguments);
if (arguments.Count > 0 && arguments[0] == "gemm-layouts")
    return MlNetDeep.Benchmarks.GemmLayouts.Run(arguments);
if (arguments.Count > 0 && arguments[0] == "crossover")
    return MlNetDeep.Benchmarks.Crossover.Run(arguments);
if (arguments.Count == 0 || arguments[0] is not ("trainer" or "scoring" or "memory" or "peer" or "parts" or "engines" or "managed-parts"))
{
    Console.Error.WriteLine("usage: MlNetDeep.Benchmarks trainer [--epochs N] [--rows N] [--noise] | scoring [--rounds N] | memory [--epochs N] [--adam] [--unknown-count] [--libtorch] | peer [--threads T] [--epochs N] [--rows N] [--unknown-count] | tabular --csv FILE [--epochs N] | crossover [--rows N] [--epochs N] | gemm-layouts [--calls N] | engines [--epochs N] [--rounds N] [--rows N] [--drift] | managed-parts [--epochs N] | sparse [--epochs N] [--rounds N] [--text-rows N] [--bow-rows N] [--text-full] [--kernels] | tune [--minutes N] | stream [--sizes N,N] [--memory-max N] [--epochs N] | folds [--rounds N] [--epochs N] [--folds K]");
    return 2;
}
int epochs = Option("--epochs", 10);
int rows = Option("--rows", 48000);
bool noise = arguments.Contains("--noise");
var optimizerKind = arguments.Contains("--adam") ? OptimizerKind.Adam : OptimizerKind.RmsProp;
int rounds = Option("--rounds", 2);
const double PyTorchReference = 0.86;

var benchRows = LectureData.Load(rows, noise);
rows = benchRows.Length;
int inputs = benchRows[0].Features.Length;
Console.WriteLine($"Fashion-MNIST {rows} rows × {inputs} inputs{(noise ? " (784 uniform noise channels)" : "")}, Dense 512 + softmax 10, RMSprop, batch 128, {epochs} timed epochs, {TorchSharp.torch.get_num_threads()} libtorch threads");

// ML.NET view of the rows, as a user builds it (LectureData says why this is the only copy before Fit)
var ml = new MLContext(1);
var schema = SchemaDefinition.Create(typeof(BenchRow));
schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, inputs);
// --unknown-count: the same rows as a sequence that does not tell its length (as a text loader's view), so Fit reads
// them without knowing how many there are
var view = ml.Data.LoadFromEnumerable(arguments.Contains("--unknown-count") ? LectureData.Lazily(benchRows) : benchRows, schema);
view = ml.Transforms.Conversion.MapValueToKey("Label", "Label").Fit(view).Transform(view);
if (arguments[0] is not ("peer" or "memory"))
{
    // the timing modes read ML.NET's cache (filled once here), so Fit's time counts reading rows from memory as the raw
    // loop's does; the memory modes leave it out: it is a second copy of the rows a user need not make
    view = ml.Data.Cache(view);
    var warmClock = Stopwatch.StartNew();
    using (var cursor = view.GetRowCursor(view.Schema))
        while (cursor.MoveNext()) { }
    Console.WriteLine($"(filling the ML.NET cache of {rows} rows took {warmClock.Elapsed.TotalSeconds:F2} s, not counted)");
}

if (arguments[0] == "memory")
{
    MlNetDeep.Benchmarks.Memory.Run(ml, view, epochs, optimizerKind, arguments.Contains("--threads") ? Option("--threads", 0) : null, arguments.Contains("--libtorch"));
    return 0;
}

if (arguments[0] == "peer")
{
    // one line per epoch, the format build/bench/compare.sh reads (the same as build/bench/peers/pytorch_peer.py's)
    int? threads = arguments.Contains("--threads") ? Option("--threads", 0) : null;
    var peerOptions = new DenseNetworkOptions
    {
        HiddenLayerSizes = new[] { 512 }, BatchSize = 128, Epochs = epochs, Seed = 1, Optimizer = optimizerKind, NumberOfThreads = threads,
    };
    var peaks = new List<double>(); // the process's peak RSS after each epoch (Linux VmHWM), as PyTorch's ru_maxrss
    peerOptions.Progress = new SynchronousProgress(_ => peaks.Add(PeakResidentMegabytes()));
    var cpu = new EpochCpuClock(); // the process's CPU seconds per epoch, as the PyTorch peer's time.process_time()
    peerOptions.Callbacks.Add(cpu);
    var peerModel = ml.MulticlassClassification.Trainers.DenseNetwork(peerOptions).Fit(view);
    // the last epoch's line carries the whole Fit's peak (building the scoring chain after the last epoch included):
    // compare.sh keeps the last line's, and nothing runs after the PyTorch peer's last epoch
    peaks[^1] = PeakResidentMegabytes();
    string label = threads?.ToString(CultureInfo.InvariantCulture) ?? "default";
    foreach (var e in peerModel.History)
        Console.WriteLine($"mlnetdeep threads={label} epoch={e.Epoch} seconds={e.Duration.TotalSeconds:F4} loss={e.Loss:F4} peak_mb={peaks[e.Epoch - 1]:F0} cpu_seconds={cpu.Seconds[e.Epoch - 1]:F4}");
    return 0;
}

if (arguments[0] == "parts")
{
    EpochParts.Run(view, epochs, optimizerKind, arguments.Contains("--compare-blocked-step"));
    return 0;
}

if (arguments[0] == "managed-parts")
{
    MlNetDeep.Benchmarks.ManagedParts.Run(view, epochs);
    return 0;
}

if (arguments[0] == "engines")
{
    MlNetDeep.Benchmarks.Engines.Run(ml, view, rows, epochs, rounds, arguments.Contains("--drift"));
    return 0;
}

if (arguments[0] == "scoring")
{
    MlNetDeep.Benchmarks.Scoring.Run(ml, view, rounds);
    return 0;
}

if (arguments.Contains("--phases"))
{
    Phases.Run(ml, view);
    Phases.Run(ml, view);
    return 0;
}

double Median(IEnumerable<double> xs) { var a = xs.OrderBy(v => v).ToArray(); return a[a.Length / 2]; }

// the raw loop takes arrays: only this mode builds them
var (features, labels) = LectureData.ToArrays(benchRows);

// warm-up both paths once (JIT, libtorch thread pool)
RawTorchSharpLoop.Run(features, labels, Math.Min(rows, 4096), inputs, 512, 10, 128, 1, 1);
var warm = new DenseNetworkOptions { HiddenLayerSizes = new[] { 512 }, BatchSize = 128, Epochs = 1, Seed = 1 };
ml.MulticlassClassification.Trainers.DenseNetwork(warm).Fit(ml.Data.TakeRows(view, 4096));

var rawTimes = new List<double>();
var libTimes = new List<double>();
var fitTimes = new List<double>();
for (int round = 0; round < rounds; round++)
{
    LibTorchRuntime.TrySetFlushDenormal(true); // the raw loop gets the same flush-to-zero the trainer sets
    rawTimes.AddRange(RawTorchSharpLoop.Run(features, labels, rows, inputs, 512, 10, 128, epochs, 1 + round));
    LibTorchRuntime.TrySetFlushDenormal(false);
    var options = new DenseNetworkOptions { HiddenLayerSizes = new[] { 512 }, BatchSize = 128, Epochs = epochs, Seed = 1 + round, Optimizer = optimizerKind };
    var clock = Stopwatch.StartNew();
    var model = ml.MulticlassClassification.Trainers.DenseNetwork(options).Fit(view);
    fitTimes.Add(clock.Elapsed.TotalSeconds);
    libTimes.AddRange(model.History.Select(e => e.Duration.TotalSeconds));
}

double raw = Median(rawTimes), lib = Median(libTimes), fitPerEpoch = Median(fitTimes) / epochs;
Console.WriteLine($"raw TorchSharp loop      {raw:F3} s/epoch (median of {rawTimes.Count})");
Console.WriteLine($"MlNetDeep epoch          {lib:F3} s/epoch (median of {libTimes.Count})");
Console.WriteLine($"MlNetDeep whole Fit      {fitPerEpoch:F3} s/epoch (reading the IDataView and building the scoring chain included)");
Console.WriteLine($"ratio epoch / raw        {lib / raw:F3}   (goal ≤ 1.05)");
Console.WriteLine($"ratio Fit / raw          {fitPerEpoch / raw:F3}");
Console.WriteLine($"ratio epoch / PyTorch    {lib / PyTorchReference:F3}   (PyTorch 1.13 reference 0.86 s/epoch from issue 2; goal ≤ 1.0)");
return 0;

static double PeakResidentMegabytes()
{
    foreach (var line in File.ReadLines("/proc/self/status"))
        if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    return double.NaN;
}

internal sealed class SynchronousProgress(Action<EpochMetrics> report) : IProgress<EpochMetrics>
{
    public void Report(EpochMetrics value) => report(value);
}

/// <summary>The process's CPU time from each epoch's start (before its first batch) to its end (after its metrics).</summary>
internal sealed class EpochCpuClock : IEpochCallback, MlNetDeep.Training.ITrainingCallback
{
    private TimeSpan _start;

    public List<double> Seconds { get; } = new();

    public double OnEpochBegin(int epoch, double learningRate)
    {
        _start = ProcessCpu();
        return learningRate;
    }

    public void OnEpochEnd(EpochEndContext context) => Seconds.Add((ProcessCpu() - _start).TotalSeconds);

    private static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}

internal sealed class BenchRow
{
    public float[] Features { get; set; } = Array.Empty<float>();

    public uint Label { get; set; }
}
