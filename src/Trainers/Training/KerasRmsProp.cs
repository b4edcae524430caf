using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>
/// RMSprop as Keras computes it: v ← ρ·v + (1−ρ)·g², w ← w − lr·g / √(v + ε), ρ = 0.9, ε = 1e-7, v starting at 0.
/// (PyTorch's RMSprop adds ε outside the square root, which changes the very first steps.)
/// Every step runs in place on buffers allocated once, with Scalars created once: TorchSharp frees an implicitly
/// converted Scalar only in its finalizer, and a few of those per batch, interleaved with weight-sized temporaries,
/// fragmented the native heap by one weight-sized block per batch (RSS +576 MB per epoch on the lecture's model).
/// </summary>
internal sealed class KerasRmsProp : IStepOptimizer
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _velocities;
    private readonly Tensor[] _denominators;
    private readonly Scalar _rho;
    private readonly Scalar _oneMinusRho;
    private readonly Scalar _epsilon;
    private readonly Scalar _one;
    private Scalar _negativeLearningRate;

    public KerasRmsProp(IEnumerable<Parameter> parameters, double learningRate, double rho = 0.9, double epsilon = 1e-7)
    {
        _parameters = parameters.ToArray();
        _rho = rho.ToScalar();
        _oneMinusRho = (1 - rho).ToScalar();
        _epsilon = epsilon.ToScalar();
        _one = 1.0.ToScalar();
        _negativeLearningRate = (-learningRate).ToScalar();
        LearningRate = learningRate;
        _velocities = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        _denominators = _parameters.Select(p => empty_like(p).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>The rate of the next steps.</summary>
    public double LearningRate { get; private set; }

    /// <summary>Changes the rate from the next step on.</summary>
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
            using var grad = _parameters[i].grad;
            if (grad is null)
                continue;
            var v = _velocities[i];
            v.mul_(_rho).addcmul_(grad, grad, _oneMinusRho);
            var denominator = _denominators[i].copy_(v).add_(_epsilon, _one).sqrt_();
            _parameters[i].addcdiv_(grad, denominator, _negativeLearningRate);
        }
    }

    public void Dispose()
    {
        foreach (var t in _velocities.Concat(_denominators))
            t.Dispose();
        foreach (var s in new[] { _rho, _oneMinusRho, _epsilon, _one, _negativeLearningRate })
            s.Dispose();
    }
}
