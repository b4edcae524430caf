using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// Issue 12's streaming benchmark: a synthetic binary task of N rows × 100 features, generated row by row by a
/// custom IDataView (never materialized), trained for one epoch streamed and, where it is asked for, in memory.
/// Each configuration runs in its own process (peak RSS is per process: /proc/self/status VmHWM), the configurations
/// interleaved: streamed and in-memory of a size side by side. Prints one line per run and the ratios.
/// </summary>
internal static class Streaming
{
    private const int Features = 100;
    private const long ValidationOffset = 1L << 40; // validation rows are other rows of the same generator

    /// <summary>The driver: <c>stream [--sizes 100000,1000000,10000000] [--memory-max 1000000] [--epochs 1]</c>.</summary>
    public static int Run(IReadOnlyList<string> arguments)
    {
        string Value(string name, string fallback) { int i = arguments.ToList().IndexOf(name); return i >= 0 && i + 1 < arguments.Count ? arguments[i + 1] : fallback; }
        var sizes = Value("--sizes", "100000,1000000,10000000").Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        long memoryMax = long.Parse(Value("--memory-max", "1000000"), CultureInfo.InvariantCulture);
        int epochs = int.Parse(Value("--epochs", "1"), CultureInfo.InvariantCulture);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {LoadAverage()} (other processes share the machine)"));
        Console.WriteLine($"synthetic binary task, {Features} features, generated per row by a custom IDataView; Dense 64 + sigmoid, RMSprop, batch 256, {epochs} epoch(s), ShuffleBufferSize 10,000, 50,000 validation rows; in memory up to {memoryMax:N0} rows");
        var results = new List<Result>();
        foreach (long rows in sizes)
        {
            foreach (string mode in rows <= memoryMax ? new[] { "On", "Off" } : new[] { "On" })
            {
                var result = Child(rows, mode, epochs);
                if (result is null)
                    return 1;
                results.Add(result);
                Console.WriteLine(result);
            }
        }
        Console.WriteLine($"load average after: {LoadAverage()}");
        var streamed = results.Where(r => r.Mode == "On").OrderBy(r => r.Rows).ToArray();
        var first = streamed[0];
        foreach (var r in streamed.Skip(1))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"streamed {r.Rows:N0} vs {first.Rows:N0} rows ({r.Rows / (double)first.Rows:G3}× the rows): {r.EpochSeconds / first.EpochSeconds:F2}× s/epoch (wall), {r.FitCpuSeconds / first.FitCpuSeconds:F2}× Fit CPU time, {r.PeakMegabytes / first.PeakMegabytes:F2}× peak RSS"));
        for (int i = 1; i < streamed.Length; i++)
        {
            // the validation pass (50,000 rows every epoch) and the start-up are the same at every size: the slope is the rows' cost
            var (p, r) = (streamed[i - 1], streamed[i]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"streamed {p.Rows:N0} → {r.Rows:N0} rows: {(r.EpochSeconds - p.EpochSeconds) / (r.Rows - p.Rows) * 1e6:F2} µs per added row per epoch (wall), {(r.FitCpuSeconds - p.FitCpuSeconds) / (r.Rows - p.Rows) * 1e6:F2} µs CPU per added row per Fit"));
        }
        foreach (var m in results.Where(r => r.Mode == "Off"))
        {
            var s = results.First(r => r.Mode == "On" && r.Rows == m.Rows);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{m.Rows:N0} rows streamed / in memory: {s.EpochSeconds / m.EpochSeconds:F2}× s/epoch (wall), {s.FitCpuSeconds / m.FitCpuSeconds:F2}× Fit CPU time, {s.PeakMegabytes / m.PeakMegabytes:F2}× peak RSS, validation accuracy {s.Accuracy:F4} vs {m.Accuracy:F4}"));
        }
        return 0;
    }

    private sealed record Result(long Rows, string Mode, double EpochSeconds, double FitSeconds, double FitCpuSeconds, double PeakMegabytes, double Accuracy, double Loss)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"rows={Rows} streaming={Mode} s_per_epoch={EpochSeconds:F2} fit_s={FitSeconds:F2} fit_cpu_s={FitCpuSeconds:F2} cpu_us_per_row={FitCpuSeconds / Rows * 1e6:F2} peak_rss_mb={PeakMegabytes:F0} val_accuracy={Accuracy:F4} val_loss={Loss:F4}");
    }

    private static Result? Child(long rows, string mode, int epochs)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        string entry = typeof(Streaming).Assembly.Location;
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
            start.ArgumentList.Add(entry);
        foreach (var a in new[] { "stream-one", rows.ToString(CultureInfo.InvariantCulture), mode, epochs.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(a);
        using var child = Process.Start(start)!;
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("rows=", StringComparison.Ordinal));
        if (child.ExitCode != 0 || line is null)
        {
            Console.Error.WriteLine($"rows={rows} streaming={mode} failed (exit {child.ExitCode}): {output}");
            return null;
        }
        var fields = line.Split(' ').Select(f => f.Split('=')).ToDictionary(f => f[0], f => f[1]);
        double D(string k) => double.Parse(fields[k], CultureInfo.InvariantCulture);
        return new Result(rows, mode, D("s_per_epoch"), D("fit_s"), D("fit_cpu_s"), D("peak_rss_mb"), D("val_accuracy"), D("val_loss"));
    }

    /// <summary>One configuration, in its own process: <c>stream-one ROWS On|Off EPOCHS</c>.</summary>
    public static int RunOne(IReadOnlyList<string> arguments)
    {
        long rows = long.Parse(arguments[1], CultureInfo.InvariantCulture);
        var mode = Enum.Parse<StreamingMode>(arguments[2]);
        int epochs = int.Parse(arguments[3], CultureInfo.InvariantCulture);
        var ml = new MLContext(1);
        var options = new DenseNetworkOptions
        {
            HiddenLayerSizes = new[] { 64 }, BatchSize = 256, Epochs = epochs, Seed = 1, Streaming = mode,
            ValidationData = new SyntheticView(50_000, ValidationOffset),
        };
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var model = ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(new SyntheticView(rows, 0));
        double fit = clock.Elapsed.TotalSeconds;
        double fitCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var last = model.History[^1];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rows={rows} streaming={mode} s_per_epoch={model.History.Average(e => e.Duration.TotalSeconds):F2} fit_s={fit:F2} fit_cpu_s={fitCpu:F2} peak_rss_mb={Memory.Rss("VmHWM")} val_accuracy={last.ValidationAccuracy:F4} val_loss={last.ValidationLoss:F4}"));
        return 0;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>
    /// Rows [offset, offset + rows) of an endless generator: 100 features uniform in [-1, 1) from a hash of (row,
    /// slot), and a label that is the sign of a fixed linear score plus noise (about 90% learnable). Known row count.
    /// </summary>
    private sealed class SyntheticView : IDataView
    {
        private readonly long _rows;
        private readonly long _offset;

        public SyntheticView(long rows, long offset)
        {
            _rows = rows;
            _offset = offset;
            var builder = new DataViewSchema.Builder();
            builder.AddColumn("Features", new VectorDataViewType(NumberDataViewType.Single, Features));
            builder.AddColumn("Label", BooleanDataViewType.Instance);
            Schema = builder.ToSchema();
        }

        public DataViewSchema Schema { get; }

        public bool CanShuffle => false;

        public long? GetRowCount() => _rows;

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => new[] { GetRowCursor(columnsNeeded, rand) };

        private static float Value(ulong row, int slot)
        {
            ulong z = row * 0x9E3779B97F4A7C15UL + (ulong)slot * 0xBF58476D1CE4E5B9UL + 0x94D049BB133111EBUL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (float)((z >> 40) * (2.0 / (1 << 24)) - 1);
        }

        /// <summary>A cursor that computes its row's values once, when a getter first asks.</summary>
        private sealed class Cursor : DataViewRowCursor
        {
            private readonly SyntheticView _view;
            private readonly float[] _values = new float[Features];
            private long _position = -1;
            private long _computed = -1;
            private bool _label;

            public Cursor(SyntheticView view) => _view = view;

            public override DataViewSchema Schema => _view.Schema;

            public override long Position => _position;

            public override long Batch => 0;

            public override bool IsColumnActive(DataViewSchema.Column column) => true;

            public override bool MoveNext()
            {
                if (_position + 1 >= _view._rows)
                    return false;
                _position++;
                return true;
            }

            private void Compute()
            {
                if (_computed == _position)
                    return;
                ulong row = (ulong)(_position + _view._offset);
                double score = 0;
                for (int j = 0; j < Features; j++)
                {
                    float v = Value(row, j);
                    _values[j] = v;
                    score += v * ((j % 5) - 2);
                }
                _label = score / Math.Sqrt(2.0 * Features) + 0.25 * Value(row, -1) > 0;
                _computed = _position;
            }

            public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

            public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
            {
                Delegate getter = column.Name == "Features"
                    ? (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
                    {
                        Compute();
                        var editor = VBufferEditor.Create(ref value, Features);
                        _values.CopyTo(editor.Values);
                        value = editor.Commit();
                    })
                    : (ValueGetter<bool>)((ref bool value) =>
                    {
                        Compute();
                        value = _label;
                    });
                return (ValueGetter<TValue>)getter;
            }
        }
    }
}
