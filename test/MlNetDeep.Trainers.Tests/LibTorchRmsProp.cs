using MlNetDeep.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetDeep.Trainers.Tests;

/// <summary>
/// The RMSprop step the fused pass (<see cref="KerasRmsProp"/>) replaced: Keras' update as six in-place libtorch
/// operations per parameter with held Scalars. The reference FusedStepTests compares the fused step with bit for bit, and
/// the one build/bench's `steps` mode times it against (its project compiles this file too).
/// </summary>
internal sealed class LibTorchRmsProp : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _velocities;
    private readonly Tensor[] _denominators;
    private readonly Scalar _rho = 0.9.ToScalar();
    private readonly Scalar _oneMinusRho = (1 - 0.9).ToScalar();
    private readonly Scalar _epsilon = 1e-7.ToScalar();
    private readonly Scalar _one = 1.0.ToScalar();
    private Scalar _negativeRate;

    public LibTorchRmsProp(Parameter[] parameters, double rate)
    {
        _parameters = parameters;
        _velocities = parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        _denominators = parameters.Select(p => empty_like(p).DetachFromDisposeScope()).ToArray();
        _negativeRate = (-rate).ToScalar();
    }

    public void SetLearningRate(double rate)
    {
        _negativeRate.Dispose();
        _negativeRate = (-rate).ToScalar();
    }

    public void Step()
    {
        using var noGrad = no_grad();
        for (int i = 0; i < _parameters.Length; i++)
        {
            using var grad = _parameters[i].grad!;
            _velocities[i].mul_(_rho).addcmul_(grad, grad, _oneMinusRho);
            var denominator = _denominators[i].copy_(_velocities[i]).add_(_epsilon, _one).sqrt_();
            _parameters[i].addcdiv_(grad, denominator, _negativeRate);
        }
    }

    public void Dispose()
    {
        foreach (var t in _velocities.Concat(_denominators))
            t.Dispose();
        foreach (var s in new[] { _rho, _oneMinusRho, _epsilon, _one, _negativeRate })
            s.Dispose();
    }
}
