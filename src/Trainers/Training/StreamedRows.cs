using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>
/// Rows [start, end) of a data view, read from its cursor on every pass instead of held in memory
/// (<see cref="StreamingMode"/>): training passes go through a shuffle buffer of a bounded number of rows
/// (tf.data's <c>shuffle(buffer_size)</c>, <see cref="DenseNetworkOptions.ShuffleBufferSize"/>), evaluation passes
/// read in row order. Managed memory is the buffer, one batch and one chunk, whatever the number of rows.
/// </summary>
internal sealed class StreamedRows : IRowSource
{
    private readonly StreamedColumns _columns;
    private readonly long _start;
    private readonly long _end;
    private readonly long _rowsInView;
    private readonly int _bufferSize;
    private readonly double[]? _classWeights;
    private readonly Statistics _statistics;

    private StreamedRows(StreamedColumns columns, long start, long end, long rowsInView, int bufferSize, double[]? classWeights, Statistics statistics)
    {
        _columns = columns;
        _start = start;
        _end = end;
        _rowsInView = rowsInView;
        _bufferSize = bufferSize;
        _classWeights = classWeights;
        _statistics = statistics;
    }

    public long Rows => _end - _start;

    public int Dimension => _columns.Dimension;

    /// <summary>The most rows the shuffle buffer has held at once, over every pass so far.</summary>
    public int PeakBufferedRows => _statistics.PeakBufferedRows;

    /// <summary>The most rows' worth of feature arrays a pass has allocated (shuffle buffer plus batch, or one evaluation chunk), over every pass so far.</summary>
    public long PeakAllocatedRows => _statistics.PeakAllocatedRows;

    /// <summary>Passes over the view so far, the first (checking) pass and the label passes included.</summary>
    public int Passes => _statistics.Passes;

    /// <summary>
    /// The first pass: reads every row, checks them as <see cref="TrainingSet.Read"/> does (the same messages, every
    /// bad value counted before one exception) and returns the rows of the whole view, streamed with a buffer of
    /// <paramref name="bufferSize"/> rows.
    /// </summary>
    public static StreamedRows Scan(StreamedColumns columns, int bufferSize, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        var bad = new BadValues(columns.What, columns.Prefix);
        var features = new float[columns.Dimension];
        long row = 0;
        using (var reader = new StreamedRowReader(columns, 0, null, null, features: true))
        {
            while (true)
            {
                if (row % TrainingSet.CancellationCheckInterval == 0)
                    cancellation.ThrowIfCancellationRequested();
                if (!reader.Next(features, out float label, out float weight))
                    break;
                int slot = FirstNonFinite(features);
                if (slot >= 0)
                    bad.Feature(columns.FeatureColumn, row, slot, features[slot]);
                if (!float.IsFinite(label))
                    bad.Label(columns.LabelColumn, row, columns.Task, label);
                if (columns.WeightColumn is not null && (!float.IsFinite(weight) || weight < 0))
                    bad.Weight(columns.WeightColumn, row, weight);
                row++;
            }
        }
        bad.ThrowIfAny();
        if (row == 0)
            throw new ArgumentException($"{columns.Prefix}The {columns.What} data has no rows.");
        var statistics = new Statistics { Passes = 1 };
        return new StreamedRows(columns, 0, row, row, bufferSize, null, statistics);
    }

    /// <summary>Rows [start, start + count) of these rows (the validation split: both parts read the same view).</summary>
    public StreamedRows Slice(long start, long count) => new(_columns, _start + start, _start + start + count, _rowsInView, _bufferSize, _classWeights, _statistics);

    /// <summary>The same rows with every row's weight multiplied by its class's weight, rounded to float as in memory.</summary>
    public StreamedRows WithClassWeights(double[] classWeights) => new(_columns, _start, _end, _rowsInView, _bufferSize, classWeights, _statistics);

    /// <summary>Rows per class (0-based label index), from a pass over the labels.</summary>
    public long[] CountClasses(int classes)
    {
        var counts = new long[classes];
        foreach (var (label, _) in Labels())
            counts[(int)label]++;
        return counts;
    }

    public double BaselineLoss(NetworkTask task, RegressionLoss regressionLoss, int classes) =>
        Training.BaselineLoss.Of(Labels, Rows, task, regressionLoss, classes);

    public IBatchReader Batches(int batchSize, bool shuffle, Generator generator)
    {
        Random? random = null;
        if (shuffle)
        {
            // one draw from the run's generator seeds the pass's buffer: reproducible with the seed, new every epoch
            using var draw = randint(int.MaxValue, new long[] { 1 }, dtype: ScalarType.Int64, generator: generator);
            random = new Random((int)draw.item<long>());
        }
        return new Reader(this, batchSize, random);
    }

    public IBatchReader Chunks(int size) => new Reader(this, size, null);

    /// <summary>Nothing to free: a pass's cursor and arrays belong to its reader.</summary>
    public void Dispose()
    {
    }

    /// <summary>(label, weight) of every row in order, weights as <see cref="TrainingSet"/> holds them (1 without weights).</summary>
    private IEnumerable<(float Label, double Weight)> Labels()
    {
        using var reader = Open(features: false);
        while (reader.Next(default, out float label, out float weight))
        {
            if (!float.IsFinite(label))
                throw reader.ChangedRow(reader.Row - 1, "a missing or non-finite label");
            yield return (label, HasWeights ? Weight(label, weight) : 1.0);
        }
    }

    /// <summary>True when batches carry weights (an example-weight column or class weights).</summary>
    public bool HasWeights => _columns.WeightColumn is not null || _classWeights is not null;

    /// <summary>The row's weight as in memory: the example weight (1 without a column) times its class's weight, as a float.</summary>
    private float Weight(float label, float weight)
    {
        float example = _columns.WeightColumn is null ? 1f : weight;
        return _classWeights is null ? example : (float)(_classWeights[(int)label] * example);
    }

    private StreamedRowReader Open(bool features)
    {
        _statistics.Passes++;
        return new StreamedRowReader(_columns, _start, _end, _rowsInView, features);
    }

    private static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
                return i;
        }
        return -1;
    }

    /// <summary>What every view of the same rows shares: the pass count and the peaks the tests check.</summary>
    private sealed class Statistics
    {
        public int Passes;
        public int PeakBufferedRows;
        public long PeakAllocatedRows;
    }

    /// <summary>
    /// One pass in batches: straight from the cursor, or through the shuffle buffer. The buffer starts with the
    /// pass's first rows; each batch row is drawn uniformly from it and its place taken by the next row read; once the
    /// view is exhausted the buffer empties in random order.
    /// </summary>
    private sealed class Reader : IBatchReader
    {
        private readonly StreamedRows _rows;
        private readonly StreamedRowReader _reader;
        private readonly int _size;
        private readonly int _dimension;
        private readonly Random? _random;
        private readonly float[] _features;
        private readonly float[] _labels;
        private readonly float[] _weights;
        private readonly float[]? _bufferFeatures;
        private readonly float[]? _bufferLabels;
        private readonly float[]? _bufferWeights;
        private int _held;
        private bool _exhausted;

        public Reader(StreamedRows rows, int size, Random? random)
        {
            _rows = rows;
            _dimension = rows.Dimension;
            _size = (int)Math.Min(size, rows.Rows);
            _random = random;
            _features = new float[(long)_size * _dimension];
            _labels = new float[_size];
            _weights = new float[_size];
            long allocated = _size;
            if (random is not null)
            {
                int capacity = (int)Math.Min(rows._bufferSize, rows.Rows);
                _bufferFeatures = new float[(long)capacity * _dimension];
                _bufferLabels = new float[capacity];
                _bufferWeights = new float[capacity];
                allocated += capacity;
            }
            var statistics = rows._statistics;
            statistics.PeakAllocatedRows = Math.Max(statistics.PeakAllocatedRows, allocated);
            _reader = rows.Open(features: true);
        }

        public Batch? Next()
        {
            int count = 0;
            while (count < _size && (_random is null ? ReadInto(_features, _labels, _weights, count) : Draw(count)))
                count++;
            return count == 0 ? null : ToTensors(count);
        }

        /// <summary>Reads the next row of the view into slot <paramref name="slot"/> of the arrays; false when the pass has no more.</summary>
        private bool ReadInto(float[] features, float[] labels, float[] weights, int slot)
        {
            if (_exhausted)
                return false;
            var span = features.AsSpan(slot * _dimension, _dimension);
            long row = _reader.Row;
            if (!_reader.Next(span, out float label, out float weight))
            {
                _exhausted = true;
                return false;
            }
            int bad = FirstNonFinite(span);
            if (bad >= 0)
                throw _reader.ChangedRow(row, $"a non-finite value in slot {bad}");
            if (!float.IsFinite(label))
                throw _reader.ChangedRow(row, "a missing or non-finite label");
            if (_rows._columns.WeightColumn is not null && (!float.IsFinite(weight) || weight < 0))
                throw _reader.ChangedRow(row, "a negative or non-finite weight");
            labels[slot] = label;
            weights[slot] = _rows.Weight(label, weight);
            return true;
        }

        /// <summary>Fills the buffer (first call), then moves a uniformly drawn buffered row to batch slot <paramref name="slot"/> and reads the next row into its place.</summary>
        private bool Draw(int slot)
        {
            int capacity = _bufferLabels!.Length;
            while (_held < capacity && ReadInto(_bufferFeatures!, _bufferLabels, _bufferWeights!, _held))
            {
                _held++;
                var statistics = _rows._statistics;
                statistics.PeakBufferedRows = Math.Max(statistics.PeakBufferedRows, _held);
            }
            if (_held == 0)
                return false;
            int j = _random!.Next(_held);
            Move(j, slot, _features, _labels, _weights);
            if (!ReadInto(_bufferFeatures!, _bufferLabels, _bufferWeights!, j))
            {
                // the view is exhausted: the last buffered row fills the hole
                _held--;
                if (j != _held)
                {
                    _bufferFeatures.AsSpan(_held * _dimension, _dimension).CopyTo(_bufferFeatures.AsSpan(j * _dimension, _dimension));
                    _bufferLabels[j] = _bufferLabels[_held];
                    _bufferWeights![j] = _bufferWeights[_held];
                }
            }
            return true;
        }

        private void Move(int from, int to, float[] features, float[] labels, float[] weights)
        {
            _bufferFeatures.AsSpan(from * _dimension, _dimension).CopyTo(features.AsSpan(to * _dimension, _dimension));
            labels[to] = _bufferLabels![from];
            weights[to] = _bufferWeights![from];
        }

        /// <summary>The first <paramref name="count"/> batch rows as new tensors (copies: the arrays are reused by the next batch).</summary>
        private Batch ToTensors(int count)
        {
            var x = tensor(Prefix(_features, count * _dimension), new long[] { count, _dimension });
            Tensor y = _rows._columns.Task == NetworkTask.Multiclass
                ? tensor(_labels.AsSpan(0, count).ToArray().Select(l => (long)l).ToArray(), new long[] { count })
                : tensor(Prefix(_labels, count), new long[] { count });
            var w = _rows.HasWeights ? tensor(Prefix(_weights, count), new long[] { count }) : null;
            return new Batch(FeatureBatch.FromDense(x), y, w, count);
        }

        private static float[] Prefix(float[] values, int length) => length == values.Length ? values : values.AsSpan(0, length).ToArray();

        public void Dispose() => _reader.Dispose();
    }
}
