using System.Runtime.CompilerServices;
using MlNetDeep.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetDeep.Training.Managed;

/// <summary>
/// The epoch of <see cref="TorchEpochTrainer"/> on managed arrays (<see cref="ManagedNetwork"/>,
/// <see cref="ManagedLoss"/>, <see cref="ManagedOptimizer"/>), with each layer's products as MKL GEMM calls
/// (<see cref="ManagedTraining.UsesGemm"/>) or, where those are missing, row by row for small networks. It saves
/// libtorch's per-call cost (8 µs or more for each of ~40 calls per mini-batch, 35–67 µs with the autograd record on
/// the lecture's model), which outweighs the arithmetic of small networks and is what separated the lecture's epoch
/// from its matrix products. Rows in memory are gathered
/// straight from the <see cref="TrainingSet"/>'s arrays; streamed rows come through <see cref="StreamedRows"/>' own
/// batches (its shuffle buffer), copied out of their tensors. Everything random still comes from the run's libtorch generator in the same
/// order as the libtorch epoch (the epoch's permutation, then per batch one uniform draw per hidden layer for
/// dropout), so both engines visit the same rows with the same masks. The weights are copied from the module when an
/// epoch starts and back when it ends: between epochs the module is the one record of the weights that validation,
/// snapshots, restores and checkpoints use.
/// </summary>
internal sealed class ManagedEpochTrainer : IEpochTrainer
{
    private readonly NetworkTask _task;
    private readonly DenseNetworkModule _module;
    private readonly IRowSource _data;
    private readonly TrainingSet? _rows;
    private readonly DenseNetworkOptions _options;
    private readonly Generator _generator;
    private readonly ManagedNetwork _network;
    private readonly ManagedOptimizer _optimizer;
    private readonly float[] _features;
    private readonly float[] _labels;
    private readonly float[]? _weights;
    private readonly Scalar? _dropoutThreshold;
    private long[]? _order;

    public ManagedEpochTrainer(NetworkTask task, DenseNetworkModule module, IRowSource data, DenseNetworkOptions options, Generator generator, int outputs)
    {
        _task = task;
        _module = module;
        _data = data;
        _rows = (data as TensorSet)?.Set;
        _options = options;
        _generator = generator;
        var sizes = new List<int> { data.Dimension };
        sizes.AddRange(options.EffectiveHiddenLayerSizes);
        sizes.Add(outputs);
        int batch = (int)Math.Min(options.BatchSize, data.Rows);
        _network = new ManagedNetwork(sizes, options.Activation, options.DropoutRate, batch, ManagedTraining.UsesGemm(options));
        _optimizer = ManagedOptimizer.Create(options, _network.Parameters().Select(p => p.Values.Length).ToArray());
        _features = new float[batch * data.Dimension];
        _labels = new float[batch];
        _weights = _rows is not null ? (_rows.Weights is null ? null : new float[batch]) : ((StreamedRows)data).HasWeights ? new float[batch] : null;
        _dropoutThreshold = options.DropoutRate > 0 ? options.DropoutRate.ToScalar() : null;
    }

    public double LearningRate => _optimizer.LearningRate;

    public void SetLearningRate(double rate) => _optimizer.SetLearningRate(rate);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (double Loss, long Correct)? TrainEpoch(IReadOnlyList<ITrainingCallback> hooks)
    {
        var o = _options;
        int dimension = _data.Dimension, outputs = _network.Outputs;
        _module.train();
        _network.LoadFrom(_module);
        long[]? order = null;
        IBatchReader? reader = null;
        if (_rows is null)
        {
            reader = _data.Batches(o.BatchSize, o.Shuffle, _generator); // draws from the generator as the libtorch epoch does
        }
        else if (o.Shuffle)
        {
            using var permutation = TrainingScalars.RowOrder(_rows.Rows, shuffle: true, _generator);
            order = _order ??= new long[_rows.Rows]; // one buffer for every epoch's permutation
            permutation.data<long>().CopyTo(order);
        }
        double lossSum = 0;
        long correct = 0;
        // MKL's products run on this thread with the Fit's thread count (1 by default: no OpenMP team), whatever the
        // thread's setting was; restored below
        int previousThreads = _network.Batched ? MklGemm.SetThreadsLocal(o.EffectiveNumberOfThreads) : 0;
        try
        {
            for (int position = 0; ; )
            {
                using var scope = reader is null ? null : NewDisposeScope(); // a streamed batch's tensors
                int count = reader is null ? Gather(order, position, dimension) : Read(reader, dimension);
                if (count == 0)
                    break;
                position += count;
                if (o.CancellationToken.IsCancellationRequested)
                    return null;
                var x = _features.AsSpan(0, count * dimension);
                var labels = _labels.AsSpan(0, count);
                var weights = _weights is null ? ReadOnlySpan<float>.Empty : _weights.AsSpan(0, count);
                if (_dropoutThreshold is not null)
                    DrawMasks(count);

                var output = _network.Forward(x, count, training: true);
                float dataLoss = ManagedLoss.LossAndGradient(_task, o.RegressionLoss, output, outputs, labels, weights, count, _network.OutputGradient(count));
                if (_task != NetworkTask.Regression)
                    correct += ManagedLoss.Correct(_task, output, outputs, labels, count);
                _network.Backward(x, count, training: true);
                float penalty = ManagedLoss.Penalty(_network, o.L1Regularization, o.L2Regularization);
                ManagedClipping.Apply(o, _network);
                int index = 0;
                foreach (var (values, gradient) in _network.Parameters())
                    _optimizer.Step(index++, values, gradient);

                double batchLoss = dataLoss + penalty; // float + float, as libtorch adds the penalty tensor (0 without one)
                foreach (var hook in hooks)
                    hook.OnBatchEnd(batchLoss);
                lossSum += batchLoss * count;
                if (!double.IsFinite(batchLoss))
                    break; // the step has spread it into the weights: the rest of the epoch cannot recover
            }
        }
        finally
        {
            if (_network.Batched)
                MklGemm.SetThreadsLocal(previousThreads);
            reader?.Dispose();
            _network.StoreInto(_module);
        }
        return (lossSum / _data.Rows, correct);
    }

    /// <summary>Copies rows order[position …] (or position … in row order) of the rows in memory into the batch buffers; returns the batch's row count (0 at the end).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Gather(long[]? order, int position, int dimension)
    {
        var rows = _rows!;
        int count = Math.Min(_options.BatchSize, rows.Rows - position);
        var features = rows.Features;
        for (int k = 0; k < count; k++)
        {
            int row = rows.Start + (order is null ? position + k : (int)order[position + k]);
            features.AsSpan(row * dimension, dimension).CopyTo(_features.AsSpan(k * dimension, dimension));
            _labels[k] = rows.Labels[row];
            if (_weights is not null)
                _weights[k] = rows.Weights![row];
        }
        return Math.Max(count, 0);
    }

    /// <summary>Copies the reader's next batch (streamed rows: always dense) into the batch buffers; returns its row count (0 at the end).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Read(IBatchReader reader, int dimension)
    {
        if (reader.Next() is not { } batch)
            return 0;
        int count = batch.Count;
        batch.Features.Dense!.data<float>().CopyTo(_features.AsSpan(0, count * dimension));
        if (_task == NetworkTask.Multiclass)
        {
            var classes = batch.Labels.data<long>();
            for (int k = 0; k < count; k++)
                _labels[k] = classes[k];
        }
        else
        {
            batch.Labels.data<float>().CopyTo(_labels.AsSpan(0, count));
        }
        if (_weights is not null)
            batch.Weights!.data<float>().CopyTo(_weights.AsSpan(0, count));
        return count;
    }

    /// <summary>The dropout masks of one batch, drawn as the module draws them: rand([count, width]) ≥ rate from the run's generator, hidden layer by hidden layer.</summary>
    private void DrawMasks(int count)
    {
        using var scope = NewDisposeScope();
        for (int l = 0; l < _network.HiddenLayers; l++)
        {
            var keep = rand(new long[] { count, _network.HiddenWidth(l) }, generator: _generator).ge_(_dropoutThreshold!);
            keep.to_type(ScalarType.Float32).data<float>().CopyTo(_network.Mask(l, count));
        }
    }

    public void Dispose() => _dropoutThreshold?.Dispose();
}
