using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>
/// Adam, or AdamW (decoupled weight decay), performing exactly TorchSharp 0.107's <c>optim.Adam</c> / <c>optim.AdamW</c>
/// arithmetic in the same order (amsgrad and maximize off), so seeded runs keep their bits (TorchOptimizerTests):
/// AdamW first scales w by 1 − lr·λ; Adam with λ &gt; 0 uses g + λ·w as the gradient; then, with t the parameter's
/// step count, m ← β₁·m + (1−β₁)·g, v ← β₂·v + (1−β₂)·g², d ← √v / √(1−β₂ᵗ) + ε, w ← w − lr/(1−β₁ᵗ) · m/d.
/// TorchSharp's own step converts each coefficient to a Scalar implicitly, which another thread's GC can free while
/// libtorch uses it (see <see cref="TrainingScalars"/>): here the constant Scalars are fields, the rate's are
/// recreated only when the rate changes, and the two that depend on t are <c>using</c> locals. d goes into a buffer
/// allocated once, as <see cref="KerasRmsProp"/> does.
/// </summary>
internal sealed class TorchAdam : IStepOptimizer
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _average;
    private readonly Tensor[] _squaredAverage;
    private readonly Tensor[] _denominators;
    private readonly long[] _steps;
    private readonly bool _decoupled;
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly double _weightDecay;
    private readonly Scalar _beta1Scalar;
    private readonly Scalar _oneMinusBeta1;
    private readonly Scalar _beta2Scalar;
    private readonly Scalar _oneMinusBeta2;
    private readonly Scalar _epsilon;
    private readonly Scalar _one;
    private readonly Scalar _weightDecayScalar;
    private Scalar _decay;

    /// <param name="parameters">The parameters to train.</param>
    /// <param name="learningRate">lr.</param>
    /// <param name="beta1">β₁.</param>
    /// <param name="beta2">β₂.</param>
    /// <param name="epsilon">ε.</param>
    /// <param name="weightDecay">λ (0: none).</param>
    /// <param name="decoupled">true for AdamW's decay of the weights, false for Adam's λ·w added to the gradient.</param>
    public TorchAdam(IEnumerable<Parameter> parameters, double learningRate, double beta1, double beta2, double epsilon, double weightDecay, bool decoupled)
    {
        _parameters = parameters.ToArray();
        _decoupled = decoupled;
        _beta1 = beta1;
        _beta2 = beta2;
        _weightDecay = weightDecay;
        _beta1Scalar = beta1.ToScalar();
        _oneMinusBeta1 = (1 - beta1).ToScalar();
        _beta2Scalar = beta2.ToScalar();
        _oneMinusBeta2 = (1 - beta2).ToScalar();
        _epsilon = epsilon.ToScalar();
        _one = 1.ToScalar(); // the alpha TorchSharp's add_(Scalar) passes
        _weightDecayScalar = weightDecay.ToScalar();
        _decay = (1 - learningRate * weightDecay).ToScalar();
        LearningRate = learningRate;
        _steps = new long[_parameters.Length];
        _average = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        _squaredAverage = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        _denominators = _parameters.Select(p => empty_like(p).DetachFromDisposeScope()).ToArray();
    }

    public double LearningRate { get; private set; }

    public void SetLearningRate(double learningRate)
    {
        if (learningRate == LearningRate)
            return;
        _decay.Dispose();
        _decay = (1 - learningRate * _weightDecay).ToScalar();
        LearningRate = learningRate;
    }

    public void Step()
    {
        using var noGrad = no_grad();
        double lr = LearningRate;
        for (int i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            using var grad = parameter.grad;
            if (grad is null)
                continue;
            long t = ++_steps[i];
            if (_decoupled)
                parameter.mul_(_decay);
            double biasCorrection1 = 1 - Math.Pow(_beta1, t);
            double biasCorrection2 = 1 - Math.Pow(_beta2, t);
            using var decayed = !_decoupled && _weightDecay != 0 ? grad.add(parameter, _weightDecayScalar) : null;
            var g = decayed ?? grad;
            _average[i].mul_(_beta1Scalar).add_(g, _oneMinusBeta1);
            _squaredAverage[i].mul_(_beta2Scalar).addcmul_(g, g, _oneMinusBeta2); // Adam's g.conj() is g for real tensors
            using var correction = Math.Sqrt(biasCorrection2).ToScalar();
            var denominator = _denominators[i].copy_(_squaredAverage[i]).sqrt_().div_(correction).add_(_epsilon, _one);
            using var stepSize = (-(lr / biasCorrection1)).ToScalar();
            parameter.addcdiv_(_average[i], denominator, stepSize);
        }
    }

    public void Dispose()
    {
        foreach (var t in _average.Concat(_squaredAverage).Concat(_denominators))
            t.Dispose();
        foreach (var s in new[] { _beta1Scalar, _oneMinusBeta1, _beta2Scalar, _oneMinusBeta2, _epsilon, _one, _weightDecayScalar, _decay })
            s.Dispose();
    }
}
