using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>Creates the configured optimizer with Keras' default hyper-parameters; one <see cref="Step"/> per mini-batch.</summary>
internal sealed class Optimizers : IDisposable
{
    private readonly KerasRmsProp? _rmsProp;
    private readonly optim.Optimizer? _torch;

    public Optimizers(DenseNetworkOptions options, IEnumerable<Parameter> parameters)
    {
        var ps = parameters.ToArray();
        double lr = options.LearningRate;
        switch (options.Optimizer)
        {
            case OptimizerKind.RmsProp:
                _rmsProp = new KerasRmsProp(ps, lr);
                break;
            case OptimizerKind.Adam:
                _torch = optim.Adam(ps, lr, beta1: 0.9, beta2: 0.999, eps: 1e-7);
                break;
            case OptimizerKind.AdamW:
                _torch = optim.AdamW(ps, lr, beta1: 0.9, beta2: 0.999, eps: 1e-7, weight_decay: options.WeightDecay);
                break;
            case OptimizerKind.Sgd:
                _torch = optim.SGD(ps, lr, momentum: options.Momentum);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Optimizer, "Unknown optimizer.");
        }
    }

    /// <summary>The rate of the next steps.</summary>
    public double LearningRate => _rmsProp?.LearningRate ?? _torch!.ParamGroups.First().LearningRate;

    /// <summary>Changes the rate from the next step on.</summary>
    public void SetLearningRate(double learningRate)
    {
        if (_rmsProp is not null)
        {
            _rmsProp.SetLearningRate(learningRate);
            return;
        }
        foreach (var group in _torch!.ParamGroups)
            group.LearningRate = learningRate;
    }

    public void Step()
    {
        if (_rmsProp is not null)
            _rmsProp.Step();
        else
            _torch!.step();
    }

    public void Dispose()
    {
        _rmsProp?.Dispose();
        _torch?.Dispose();
    }
}
