using System.Diagnostics;

namespace MlNetDeep.Network;

/// <summary>
/// Scores a block of dense rows: orders them into groups of four with similar zeros (<see cref="RowGroups"/>), then
/// runs <see cref="ScoringNetwork.ForwardBlock(ReadOnlySpan{float}, ReadOnlySpan{int}, Span{float})"/>, shared with one thread-pool helper
/// when the machine has a second core: the block is cut into chunks of <see cref="ChunkRows"/> rows, the helper
/// claims chunks from the first upwards, the calling thread from the last downwards, until they meet. The caller
/// never depends on the helper: a helper that has not started yet gets no new work item queued, and a chunk the
/// helper still holds when the caller arrives at it is waited for at most as long as the caller takes for one
/// chunk, then computed again by the caller. So a busy machine (helper descheduled, thread pool saturated) costs at
/// most about two chunks per block over the one-thread rate, and a quiet one gets both cores. Whether a block is
/// shared at all follows measured wall time (<see cref="ModeChoice"/>): the faster mode of the last blocks, the
/// other one tried every few blocks, so a machine whose load changes gets what is faster now. Chunks are whole
/// groups of four rows, the groups of the one-thread pass over the same order, so every row gets
/// the bits the one-thread pass gives it (recomputing a chunk gives the same bits again).
/// </summary>
internal sealed class SharedBlockForward
{
    /// <summary>Rows per chunk: a multiple of four (the row groups of a block's forward pass).</summary>
    public const int ChunkRows = 16;

    private const int Free = 0;
    private const int Helping = 1;
    private const int Done = 2;
    private const int Caller = 3;

    private readonly ScoringNetwork _network;
    private readonly bool _shared;
    private Job? _job;
    private int[] _order = Array.Empty<int>();
    private float[] _ordered = Array.Empty<float>();
    private long _chunkTicks;
    private int _helperChunks;
    private ModeChoice _modes;

    /// <param name="network">The network to score with.</param>
    /// <param name="shared">Whether to share blocks with a helper (false: every block on the calling thread).</param>
    public SharedBlockForward(ScoringNetwork network, bool shared)
    {
        _network = network;
        _shared = shared;
    }

    /// <summary>Chunks whose outputs the helper computed and the caller used, over every block so far.</summary>
    public int HelperChunks => Volatile.Read(ref _helperChunks);

    /// <summary>Whether blocks are shared with a helper: true on a machine with more than one core.</summary>
    public static bool SharedByDefault => Environment.ProcessorCount > 1;

    /// <summary>
    /// Writes the outputs of <paramref name="rows"/> dense rows of <paramref name="features"/> (row r at
    /// r·InputSize) into <paramref name="outputs"/> (row r at r·OutputSize), the bits <see cref="ScoringNetwork.ForwardBlock(ReadOnlySpan{float}, int, Span{float})"/> gives.
    /// <paramref name="features"/> must not change until this returns.
    /// </summary>
    public void Forward(float[] features, int rows, float[] outputs)
    {
        int outputSize = _network.OutputSize;
        if (_order.Length < rows)
        {
            _order = new int[rows];
            _ordered = new float[rows * outputSize];
        }
        var order = _order.AsSpan(0, rows);
        RowGroups.Order(features.AsSpan(0, rows * _network.InputSize), rows, _network.InputSize, order);
        bool share = _shared && rows > ChunkRows && _modes.ShareNext();
        long start = Stopwatch.GetTimestamp();
        ForwardOrdered(features, rows, _ordered, share);
        if (_shared && rows > ChunkRows)
            _modes.Record(share, (double)(Stopwatch.GetTimestamp() - start) / rows);
        for (int i = 0; i < rows; i++)
            _ordered.AsSpan(i * outputSize, outputSize).CopyTo(outputs.AsSpan(order[i] * outputSize, outputSize));
    }

    /// <summary>Writes the outputs of the rows <c>_order</c>[0..rows) of <paramref name="features"/> into <paramref name="ordered"/>, in that order.</summary>
    private void ForwardOrdered(float[] features, int rows, float[] ordered, bool share)
    {
        int chunks = (rows + ChunkRows - 1) / ChunkRows;
        var previous = _job;
        if (!share || chunks < 2 || (previous is not null && !previous.Started))
        {
            // no helper (or the last one queued has not even started: the pool or the cores are busy)
            _network.ForwardBlock(features.AsSpan(0, rows * _network.InputSize), _order.AsSpan(0, rows), ordered);
            return;
        }
        var job = previous is not null && previous.Finished ? previous : new Job(_network);
        _job = job;
        job.Reset(features, _order, rows, chunks);
        ThreadPool.UnsafeQueueUserWorkItem(static j => j.Help(), job, preferLocal: false);

        int c = chunks - 1;
        for (; c >= 0; c--)
        {
            if (Interlocked.CompareExchange(ref job.States[c], Caller, Free) != Free)
                break;
            long start = Stopwatch.GetTimestamp();
            Compute(features, rows, ordered, c);
            long ticks = Stopwatch.GetTimestamp() - start;
            _chunkTicks = _chunkTicks == 0 ? ticks : (_chunkTicks + ticks) / 2;
        }
        if (c < 0)
            return;

        // chunk c is the helper's (done or in progress); every chunk below it is done
        if (Volatile.Read(ref job.States[c]) == Helping)
        {
            long deadline = Stopwatch.GetTimestamp() + Math.Max(_chunkTicks, Stopwatch.Frequency / 10000);
            var spin = default(SpinWait);
            while (Volatile.Read(ref job.States[c]) == Helping && Stopwatch.GetTimestamp() < deadline)
                spin.SpinOnce(sleep1Threshold: -1);
            if (Interlocked.CompareExchange(ref job.States[c], Caller, Helping) == Helping)
            {
                Compute(features, rows, ordered, c);
                c--;
            }
        }
        _helperChunks += c + 1;
        int helped = Math.Min(rows, (c + 1) * ChunkRows) * _network.OutputSize;
        job.Outputs.AsSpan(0, helped).CopyTo(ordered);
    }

    private void Compute(float[] features, int rows, float[] ordered, int chunk)
    {
        int first = chunk * ChunkRows;
        int count = Math.Min(ChunkRows, rows - first);
        _network.ForwardBlock(features.AsSpan(0, rows * _network.InputSize), _order.AsSpan(first, count), ordered.AsSpan(first * _network.OutputSize, count * _network.OutputSize));
    }

    /// <summary>
    /// Which mode the next block runs in: the one with the lower moving average of wall time per row (each block's
    /// time weighted 1/4), except every <see cref="ExploreEvery"/>th block, which runs in the other mode so its
    /// average follows the machine's load. Starts shared; one block alone then gives the second average.
    /// </summary>
    internal struct ModeChoice
    {
        public const int ExploreEvery = 16;

        private double _shared;
        private double _alone;
        private int _blocks;

        /// <summary>Whether the next block should be shared with the helper.</summary>
        public bool ShareNext()
        {
            _blocks++;
            if (_shared == 0)
                return true;
            if (_alone == 0)
                return false;
            bool best = _shared <= _alone;
            return _blocks % ExploreEvery == 0 ? !best : best;
        }

        /// <summary>Adds a block's wall time per row to the average of the mode it ran in.</summary>
        public void Record(bool shared, double ticksPerRow)
        {
            ref double average = ref shared ? ref _shared : ref _alone;
            average = average == 0 ? ticksPerRow : (0.75 * average) + (0.25 * ticksPerRow);
        }
    }

    /// <summary>One block's shared state; the helper writes its chunks' outputs here, never into the caller's buffers.</summary>
    private sealed class Job
    {
        private readonly ScoringNetwork _network;
        private float[] _features = Array.Empty<float>();
        private int[] _order = Array.Empty<int>();
        private int _rows;
        private int _chunks;
        private volatile bool _started;
        private volatile bool _finished = true;

        public Job(ScoringNetwork network) => _network = network;

        public int[] States { get; private set; } = Array.Empty<int>();

        public float[] Outputs { get; private set; } = Array.Empty<float>();

        /// <summary>Whether the helper of the last block has begun (a queued helper that has not says the pool is busy).</summary>
        public bool Started => _started;

        /// <summary>Whether the helper of the last block has returned, so this job may be reused.</summary>
        public bool Finished => _finished;

        public void Reset(float[] features, int[] order, int rows, int chunks)
        {
            _features = features;
            if (_order.Length < rows)
                _order = new int[rows];
            order.AsSpan(0, rows).CopyTo(_order); // its own copy: a helper still running when the caller moves on reads rows of this block
            _rows = rows;
            _chunks = chunks;
            if (States.Length < chunks)
                States = new int[chunks];
            else
                Array.Clear(States);
            if (Outputs.Length < rows * _network.OutputSize)
                Outputs = new float[rows * _network.OutputSize];
            _started = false;
            _finished = false;
        }

        public void Help()
        {
            _started = true;
            try
            {
                for (int c = 0; c < _chunks; c++)
                {
                    if (Interlocked.CompareExchange(ref States[c], Helping, Free) != Free)
                        return;
                    int first = c * ChunkRows;
                    int count = Math.Min(ChunkRows, _rows - first);
                    _network.ForwardBlock(
                        _features.AsSpan(0, _rows * _network.InputSize), _order.AsSpan(first, count),
                        Outputs.AsSpan(first * _network.OutputSize, count * _network.OutputSize));
                    if (Interlocked.CompareExchange(ref States[c], Done, Helping) != Helping)
                        return; // the caller took this chunk back and computed it itself
                }
            }
            catch (Exception)
            {
                // the chunk stays Helping: the caller computes it itself and meets the same error on its own thread
            }
            finally
            {
                _finished = true;
            }
        }
    }
}
