using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>
/// One Fit's state — the module, the epoch trainer (libtorch's or the managed one) with its optimizer, the rows, the options and the history being written —
/// and the two steps the epoch loop repeats: training one epoch's mini-batches and measuring the epoch. The
/// callbacks get what they need of it when they are created.
/// </summary>
internal sealed class TrainingRun
{
    private const int EvaluationChunk = 8192;

    private readonly IEpochTrainer _trainer;
    private readonly Action<IReadOnlyList<DenseLayer>, TrainingHistory, string>? _saveCheckpoint;

    public TrainingRun(NetworkTask task, DenseNetworkModule module, IEpochTrainer trainer, IRowSource data, IRowSource? validation,
        DenseNetworkOptions options, TrainingHistory history, int firstEpoch,
        Action<IReadOnlyList<DenseLayer>, TrainingHistory, string>? saveCheckpoint)
    {
        Task = task;
        Module = module;
        _trainer = trainer;
        Data = data;
        Validation = validation;
        Options = options;
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
    public double LearningRate => _trainer.LearningRate;

    /// <summary>Sets the optimizer's rate from the next step on (nothing happens when it is unchanged).</summary>
    public void SetLearningRate(double rate)
    {
        if (rate != _trainer.LearningRate)
            _trainer.SetLearningRate(rate);
    }

    /// <summary>One pass over the training rows by the run's <see cref="IEpochTrainer"/> (see <see cref="IEpochTrainer.TrainEpoch"/>).</summary>
    public (double Loss, long Correct)? TrainEpoch(IReadOnlyList<ITrainingCallback> hooks) => _trainer.TrainEpoch(hooks);

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
