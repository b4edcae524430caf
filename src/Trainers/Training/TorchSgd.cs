using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>
/// SGD with optional momentum and weight decay, performing exactly TorchSharp 0.107's <c>optim.SGD</c> arithmetic in
/// the same order (dampening 0, no Nesterov, maximize off), so seeded runs keep their bits (TorchOptimizerTests):
/// with λ &gt; 0 the gradient is g + λ·w; with momentum μ &gt; 0, b ← g at the first step, then b ← μ·b + 1·g, and b
/// replaces g; w ← w − lr·g. TorchSharp's own step converts μ, 1 − dampening and −lr to Scalars implicitly (see
/// <see cref="TrainingScalars"/>): here they are fields, the rate's recreated only when the rate changes.
/// </summary>
internal sealed class TorchSgd : IStepOptimizer
{
    private readonly Parameter[] _parameters;
    private readonly Tensor?[] _buffers;
    private readonly double _momentum;
    private readonly double _weightDecay;
    private readonly Scalar _momentumScalar;
    private readonly Scalar _oneMinusDampening;
    private readonly Scalar _weightDecayScalar;
    private Scalar _negativeLearningRate;

    public TorchSgd(IEnumerable<Parameter> parameters, double learningRate, double momentum, double weightDecay = 0)
    {
        _parameters = parameters.ToArray();
        _buffers = new Tensor?[_parameters.Length];
        _momentum = momentum;
        _weightDecay = weightDecay;
        _momentumScalar = momentum.ToScalar();
        _oneMinusDampening = (1 - 0.0).ToScalar();
        _weightDecayScalar = weightDecay.ToScalar();
        _negativeLearningRate = (-learningRate).ToScalar();
        LearningRate = learningRate;
    }

    public double LearningRate { get; private set; }

    public void SetLearningRate(double learningRate)
    {
        if (learningRate == LearningRate)
            return;
        _negativeLearningRate.Dispose();
        _negativeLearningRate = (-learningRate).ToScalar();
        LearningRate = learningRate;
    }

    public void Step()
    {
        using var noGrad = no_grad();
        for (int i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            using var grad = parameter.grad;
            if (grad is null)
                continue;
            using var decayed = _weightDecay != 0 ? grad.add(parameter, _weightDecayScalar) : null;
            var g = decayed ?? grad;
            if (_momentum != 0)
            {
                if (_buffers[i] is not { } buffer)
                {
                    using var clone = g.clone();
                    _buffers[i] = clone.detach().DetachFromDisposeScope();
                }
                else
                {
                    buffer.mul_(_momentumScalar).add_(g, _oneMinusDampening);
                }
                g = _buffers[i]!;
            }
            parameter.add_(g, _negativeLearningRate);
        }
    }

    public void Dispose()
    {
        foreach (var b in _buffers)
            b?.Dispose();
        foreach (var s in new[] { _momentumScalar, _oneMinusDampening, _weightDecayScalar, _negativeLearningRate })
            s.Dispose();
    }
}
