using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>
/// One Fit's state — the module, its optimizer, the rows as tensors, the options and the history being written —
/// and the two steps the epoch loop repeats: training one epoch's mini-batches and measuring the epoch. The
/// callbacks get what they need of it when they are created.
/// </summary>
internal sealed class TrainingRun
{
    private const int EvaluationChunk = 8192;

    private readonly Optimizers _optimizer;
    private readonly GradientClipping? _clipping;
    private readonly Generator _generator;
    private readonly Action<IReadOnlyList<DenseLayer>, TrainingHistory, string>? _saveCheckpoint;

    public TrainingRun(NetworkTask task, DenseNetworkModule module, Optimizers optimizer, GradientClipping? clipping, IRowSource data, IRowSource? validation,
        DenseNetworkOptions options, Generator generator, TrainingHistory history, int firstEpoch,
        Action<IReadOnlyList<DenseLayer>, TrainingHistory, string>? saveCheckpoint)
    {
        Task = task;
        Module = module;
        _optimizer = optimizer;
        _clipping = clipping;
        Data = data;
        Validation = validation;
        Options = options;
        _generator = generator;
        History = history;
        FirstEpoch = firstEpoch;
        _saveCheckpoint = saveCheckpoint;
    }

    public NetworkTask Task { get; }

    public DenseNetworkModule Module { get; }

    /// <summary>The training rows.</summary>
    public IRowSource Data { get; }

    /// <summary>The validation rows; null without validation.</summary>
    public IRowSource? Validation { get; }

    public DenseNetworkOptions Options { get; }

    /// <summary>The record the loop adds every epoch to (a warm start's begins with the initial model's epochs).</summary>
    public TrainingHistory History { get; }

    /// <summary>The number of this run's first epoch: 1, or one past a warm start's initial model's last epoch.</summary>
    public int FirstEpoch { get; }

    /// <summary>The number the run's last epoch gets if it trains all <see cref="DenseNetworkOptions.Epochs"/>.</summary>
    public int LastEpoch => FirstEpoch + Options.Epochs - 1;

    /// <summary>The optimizer's rate for the next steps.</summary>
    public double LearningRate => _optimizer.LearningRate;

    /// <summary>Sets the optimizer's rate from the next step on (nothing happens when it is unchanged).</summary>
    public void SetLearningRate(double rate)
    {
        if (rate != _optimizer.LearningRate)
            _optimizer.SetLearningRate(rate);
    }

    /// <summary>
    /// One pass over the training rows (each epoch a new permutation in memory, or a new pass through the shuffle
    /// buffer when streamed; row order when Shuffle is off), one optimizer step per
    /// mini-batch (gradients clipped first when the options say so), each under its own dispose scope. Returns the epoch's mean loss and correct-prediction count, or null
    /// when the cancellation token was set before a batch.
    /// </summary>
    public (double Loss, long Correct)? TrainEpoch(IReadOnlyList<ITrainingCallback> hooks)
    {
        var o = Options;
        long rows = Data.Rows;
        Module.train();
        double lossSum = 0;
        long correct = 0;
        using var batches = Data.Batches(o.BatchSize, o.Shuffle, _generator);
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
            Module.zero_grad(set_to_none: true);
            var output = Module.Forward(x);
            var loss = Losses.DataLoss(Task, o.RegressionLoss, output, y, w);
            var penalty = Losses.Penalty(Module.Kernels, o.L1Regularization, o.L2Regularization);
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
            if (Task != NetworkTask.Regression)
                correct += Losses.CountCorrect(Task, output, y);
        }
        return (lossSum / rows, correct);
    }

    /// <summary>The epoch's record: the training loss and accuracy of its mini-batches, then the validation rows scored with the weights it ended with; the duration runs until now.</summary>
    public EpochMetrics Measure(int epoch, (double Loss, long Correct) trained, double learningRate, Stopwatch clock)
    {
        bool classification = Task != NetworkTask.Regression;
        double? valLoss = null, valAccuracy = null;
        if (Validation is not null)
            (valLoss, valAccuracy) = Evaluate(Validation);
        return new EpochMetrics
        {
            Epoch = epoch,
            Loss = trained.Loss,
            Accuracy = classification ? (double)trained.Correct / Data.Rows : null,
            ValidationLoss = valLoss,
            ValidationAccuracy = classification ? valAccuracy : null,
            LearningRate = learningRate,
            Duration = clock.Elapsed,
        };
    }

    /// <summary>Writes the network as it is after <paramref name="epoch"/> to a model zip (ModelCheckpoint); null when this trainer cannot.</summary>
    public Action<string>? CheckpointWriter(int epoch) => _saveCheckpoint is null ? null : path => _saveCheckpoint(NetworkWeights.From(Module),
        History.Snapshot(string.Create(CultureInfo.InvariantCulture, $"checkpoint after epoch {epoch} of {LastEpoch}")), path);

    /// <summary>Loss (data loss + penalty, as Keras reports val_loss) and accuracy on <paramref name="set"/>, in inference mode.</summary>
    public (double Loss, double? Accuracy) Evaluate(IRowSource set)
    {
        Module.eval();
        using var noGrad = no_grad();
        double lossSum = 0;
        long correct = 0;
        using (var chunks = set.Chunks(EvaluationChunk))
        {
            while (true)
            {
                using var chunkScope = NewDisposeScope(); // one chunk at a time: streamed chunks are new tensors
                if (chunks.Next() is not { } chunk)
                    break;
                var (x, y, w, count) = chunk;
                var output = Module.Forward(x);
                lossSum += Losses.DataLoss(Task, Options.RegressionLoss, output, y, w).item<float>() * (double)count;
                if (Task != NetworkTask.Regression)
                    correct += Losses.CountCorrect(Task, output, y);
            }
        }
        using var scope = NewDisposeScope();
        var penalty = Losses.Penalty(Module.Kernels, Options.L1Regularization, Options.L2Regularization);
        double loss = lossSum / set.Rows + (penalty is null ? 0 : penalty.item<float>());
        return (loss, Task == NetworkTask.Regression ? null : (double)correct / set.Rows);
    }
}
