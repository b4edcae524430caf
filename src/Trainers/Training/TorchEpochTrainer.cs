using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>
/// The libtorch epoch: each mini-batch under its own dispose scope, autograd for the gradients,
/// <see cref="GradientClipping"/> and the configured <see cref="Optimizers"/> on the module's parameters.
/// </summary>
internal sealed class TorchEpochTrainer : IEpochTrainer
{
    private readonly NetworkTask _task;
    private readonly DenseNetworkModule _module;
    private readonly IRowSource _data;
    private readonly DenseNetworkOptions _options;
    private readonly Generator _generator;
    private readonly Optimizers _optimizer;
    private readonly GradientClipping? _clipping;

    public TorchEpochTrainer(NetworkTask task, DenseNetworkModule module, IRowSource data, DenseNetworkOptions options, Generator generator)
    {
        _task = task;
        _module = module;
        _data = data;
        _options = options;
        _generator = generator;
        _optimizer = new Optimizers(options, module.parameters());
        _clipping = GradientClipping.Create(options, module.parameters());
    }

    public double LearningRate => _optimizer.LearningRate;

    public void SetLearningRate(double rate) => _optimizer.SetLearningRate(rate);

    public (double Loss, long Correct)? TrainEpoch(IReadOnlyList<ITrainingCallback> hooks)
    {
        var o = _options;
        long rows = _data.Rows;
        _module.train();
        double lossSum = 0;
        long correct = 0;
        using var batches = _data.Batches(o.BatchSize, o.Shuffle, _generator);
        while (true)
        {
            using var scope = NewDisposeScope();
            if (batches.Next() is not { } batch)
                break;
            var (x, y, w, count) = batch;
            if (o.CancellationToken.IsCancellationRequested)
                return null;

            // gradients set to none, not zeroed: backward allocates each batch's gradients either way, and with none
            // to add to it keeps them as they are, where zeroed ones cost a zeroing pass and an addition per parameter
            // (~8% of the lecture model's epoch; the same bits, 0 + g being g but for the sign of a zero gradient)
            _module.zero_grad(set_to_none: true);
            var output = _module.Forward(x);
            var loss = Losses.DataLoss(_task, o.RegressionLoss, output, y, w);
            var penalty = Losses.Penalty(_module.Kernels, o.L1Regularization, o.L2Regularization);
            if (penalty is not null)
                loss = Losses.Add(loss, penalty);
            loss.backward();
            _clipping?.Apply();
            _optimizer.Step();

            double batchLoss = loss.item<float>();
            foreach (var hook in hooks)
                hook.OnBatchEnd(batchLoss);
            lossSum += batchLoss * count;
            if (!double.IsFinite(batchLoss))
                break; // the step has spread it into the weights: the rest of the epoch cannot recover
            if (_task != NetworkTask.Regression)
                correct += Losses.CountCorrect(_task, output, y);
        }
        return (lossSum / rows, correct);
    }

    public void Dispose()
    {
        _clipping?.Dispose();
        _optimizer.Dispose();
    }
}
