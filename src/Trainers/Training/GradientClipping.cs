using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>
/// Keras' <c>clipnorm</c> and <c>clipvalue</c>, applied to the gradients between the backward pass and the optimizer
/// step, each weight tensor (every kernel and every bias) on its own: by norm, g ← g·c/‖g‖₂ when ‖g‖₂ &gt; c (what
/// <c>tf.clip_by_norm</c> computes, left untouched otherwise); by value, every element into [−c, c]. The penalty's
/// gradient is part of g (it is in the loss); AdamW's decoupled weight decay is not (it acts on the weights).
/// Scalars are made once (see <see cref="KerasRmsProp"/> for why).
/// </summary>
internal sealed class GradientClipping : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly double? _norm;
    private readonly Scalar _limit;
    private readonly Scalar _negativeLimit;

    private GradientClipping(IEnumerable<Parameter> parameters, double? norm, double value)
    {
        _parameters = parameters.ToArray();
        _norm = norm;
        _limit = value.ToScalar();
        _negativeLimit = (-value).ToScalar();
    }

    /// <summary>The clipping the options ask for; null when neither GradientClipNorm nor GradientClipValue is set.</summary>
    public static GradientClipping? Create(DenseNetworkOptions options, IEnumerable<Parameter> parameters) =>
        options.GradientClipNorm is double norm ? new GradientClipping(parameters, norm, norm)
        : options.GradientClipValue is double value ? new GradientClipping(parameters, null, value)
        : null;

    /// <summary>Clips every parameter's gradient in place.</summary>
    public void Apply()
    {
        using var noGrad = no_grad();
        foreach (var parameter in _parameters)
        {
            using var grad = parameter.grad;
            if (grad is null)
                continue;
            if (_norm is double limit)
            {
                using var norm = grad.norm();
                if (norm.item<float>() > limit)
                    grad.mul_(_limit).div_(norm);
            }
            else
            {
                grad.clamp_(_negativeLimit, _limit);
            }
        }
    }

    public void Dispose()
    {
        _limit.Dispose();
        _negativeLimit.Dispose();
    }
}
