using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>
/// RMSprop as Keras computes it: v ← ρ·v + (1−ρ)·g², w ← w − lr·g / √(v + ε), ρ = 0.9, ε = 1e-7, v starting at 0.
/// (PyTorch's RMSprop adds ε outside the square root, which changes the very first steps.)
/// </summary>
internal sealed class KerasRmsProp : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _velocities;
    private readonly double _learningRate;
    private readonly double _rho;
    private readonly double _epsilon;

    public KerasRmsProp(IEnumerable<Parameter> parameters, double learningRate, double rho = 0.9, double epsilon = 1e-7)
    {
        _parameters = parameters.ToArray();
        _learningRate = learningRate;
        _rho = rho;
        _epsilon = epsilon;
        _velocities = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
    }

    public void Step()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        for (int i = 0; i < _parameters.Length; i++)
        {
            var grad = _parameters[i].grad;
            if (grad is null)
                continue;
            var v = _velocities[i];
            v.mul_(_rho).addcmul_(grad, grad, 1 - _rho);
            var denominator = v.add(_epsilon).sqrt_();
            _parameters[i].addcdiv_(grad, denominator, -_learningRate);
        }
    }

    public void Dispose()
    {
        foreach (var v in _velocities)
            v.Dispose();
    }
}
