using TorchSharp.Modules;

namespace MlNetDeep.Training;

/// <summary>
/// Creates the configured optimizer with Keras' default hyper-parameters; one <see cref="Step"/> per mini-batch. None
/// is TorchSharp's own: its Adam, AdamW and SGD convert numbers to Scalars implicitly on every step, unsafe when
/// another thread collects (see <see cref="TrainingScalars"/>); <see cref="TorchAdam"/> and <see cref="TorchSgd"/>
/// perform their arithmetic bit for bit with Scalars held alive.
/// </summary>
internal sealed class Optimizers : IDisposable
{
    private readonly IStepOptimizer _optimizer;

    public Optimizers(DenseNetworkOptions options, IEnumerable<Parameter> parameters)
    {
        var ps = parameters.ToArray();
        double lr = options.LearningRate;
        _optimizer = options.Optimizer switch
        {
            OptimizerKind.RmsProp => new KerasRmsProp(ps, lr),
            OptimizerKind.Adam => new TorchAdam(ps, lr, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0, decoupled: false),
            OptimizerKind.AdamW => new TorchAdam(ps, lr, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: options.WeightDecay, decoupled: true),
            OptimizerKind.Sgd => new TorchSgd(ps, lr, options.Momentum),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Optimizer, "Unknown optimizer."),
        };
    }

    /// <summary>The rate of the next steps.</summary>
    public double LearningRate => _optimizer.LearningRate;

    /// <summary>Changes the rate from the next step on.</summary>
    public void SetLearningRate(double learningRate) => _optimizer.SetLearningRate(learningRate);

    public void Step() => _optimizer.Step();

    public void Dispose() => _optimizer.Dispose();
}
