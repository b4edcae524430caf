using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MlNetDeep.Training.Managed;

/// <summary>
/// The optimizers of <see cref="Optimizers"/> on managed arrays, each the same update in the same order as its
/// libtorch twin (<see cref="KerasRmsProp"/>, <see cref="TorchAdam"/>, <see cref="TorchSgd"/>) in float arithmetic with
/// the coefficients rounded to float as libtorch rounds a Scalar for a float tensor. State is per parameter,
/// allocated once; every parameter gets a gradient on every step. The updates run <see cref="Vector{T}"/>-wide with the
/// same operations per lane as the scalar tail (IEEE square roots and divisions are exact in both), so the width
/// changes nothing in the bits.
/// </summary>
internal abstract class ManagedOptimizer
{
    protected ManagedOptimizer(double learningRate) => LearningRate = learningRate;

    /// <summary>The rate of the next steps.</summary>
    public double LearningRate { get; private set; }

    /// <summary>Changes the rate from the next step on.</summary>
    public void SetLearningRate(double learningRate) => LearningRate = learningRate;

    /// <summary>Updates parameter <paramref name="index"/> (its position in the module's order) from its gradient.</summary>
    public abstract void Step(int index, Span<float> w, ReadOnlySpan<float> g);

    /// <summary>The whole vectors of <paramref name="values"/> (the tail past the last whole vector is left to scalar code).</summary>
    private static Span<Vector<float>> Cast(Span<float> values) => MemoryMarshal.Cast<float, Vector<float>>(values);

    /// <summary>The optimizer the options configure, with the same Keras defaults as <see cref="Optimizers"/>.</summary>
    public static ManagedOptimizer Create(DenseNetworkOptions options, IReadOnlyList<int> parameterSizes)
    {
        double lr = options.LearningRate;
        return options.Optimizer switch
        {
            OptimizerKind.RmsProp => new RmsProp(parameterSizes, lr, rho: 0.9, epsilon: 1e-7),
            OptimizerKind.Adam => new Adam(parameterSizes, lr, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0, decoupled: false),
            OptimizerKind.AdamW => new Adam(parameterSizes, lr, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: options.WeightDecay, decoupled: true),
            OptimizerKind.Sgd => new Sgd(parameterSizes, lr, options.Momentum),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Optimizer, "Unknown optimizer."),
        };
    }

    /// <summary>Keras' RMSprop: v ← ρ·v + (1−ρ)·g², w ← w − lr·g / √(v + ε).</summary>
    private sealed class RmsProp : ManagedOptimizer
    {
        private readonly float[][] _velocities;
        private readonly float _rho, _oneMinusRho, _epsilon;

        public RmsProp(IReadOnlyList<int> sizes, double lr, double rho, double epsilon) : base(lr)
        {
            _velocities = sizes.Select(n => new float[n]).ToArray();
            (_rho, _oneMinusRho, _epsilon) = ((float)rho, (float)(1 - rho), (float)epsilon);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Step(int index, Span<float> w, ReadOnlySpan<float> g)
        {
            var v = _velocities[index];
            float negativeRate = (float)-LearningRate;
            int i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var vw = Cast(w);
                var vg = MemoryMarshal.Cast<float, Vector<float>>(g);
                var vv = Cast(v.AsSpan(0, w.Length));
                Vector<float> rho = new(_rho), oneMinusRho = new(_oneMinusRho), epsilon = new(_epsilon), rate = new(negativeRate);
                for (int k = 0; k < vw.Length; k++)
                {
                    vv[k] = vv[k] * rho + vg[k] * vg[k] * oneMinusRho;
                    vw[k] += rate * (vg[k] / Vector.SquareRoot(vv[k] + epsilon));
                }
                i = vw.Length * Vector<float>.Count;
            }
            for (; i < w.Length; i++)
            {
                v[i] = v[i] * _rho + g[i] * g[i] * _oneMinusRho;
                float denominator = MathF.Sqrt(v[i] + _epsilon);
                w[i] += negativeRate * (g[i] / denominator);
            }
        }
    }

    /// <summary>
    /// Adam or AdamW: AdamW first scales w by 1 − lr·λ; Adam with λ &gt; 0 uses g + λ·w; m ← β₁·m + (1−β₁)·g,
    /// v ← β₂·v + (1−β₂)·g², d ← √v / √(1−β₂ᵗ) + ε, w ← w − lr/(1−β₁ᵗ) · m/d.
    /// </summary>
    private sealed class Adam : ManagedOptimizer
    {
        private readonly float[][] _average, _squaredAverage;
        private readonly long[] _steps;
        private readonly double _beta1, _beta2, _weightDecay;
        private readonly float _beta1f, _oneMinusBeta1, _beta2f, _oneMinusBeta2, _epsilon, _weightDecayf;
        private readonly bool _decoupled;

        public Adam(IReadOnlyList<int> sizes, double lr, double beta1, double beta2, double epsilon, double weightDecay, bool decoupled) : base(lr)
        {
            _average = sizes.Select(n => new float[n]).ToArray();
            _squaredAverage = sizes.Select(n => new float[n]).ToArray();
            _steps = new long[sizes.Count];
            (_beta1, _beta2, _weightDecay, _decoupled) = (beta1, beta2, weightDecay, decoupled);
            (_beta1f, _oneMinusBeta1, _beta2f, _oneMinusBeta2) = ((float)beta1, (float)(1 - beta1), (float)beta2, (float)(1 - beta2));
            (_epsilon, _weightDecayf) = ((float)epsilon, (float)weightDecay);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Step(int index, Span<float> w, ReadOnlySpan<float> g)
        {
            double lr = LearningRate;
            long t = ++_steps[index];
            double biasCorrection1 = 1 - Math.Pow(_beta1, t);
            double biasCorrection2 = 1 - Math.Pow(_beta2, t);
            float decay = (float)(1 - lr * _weightDecay);
            float correction = (float)Math.Sqrt(biasCorrection2);
            float stepSize = (float)-(lr / biasCorrection1);
            bool addDecay = !_decoupled && _weightDecay != 0;
            var m = _average[index];
            var v = _squaredAverage[index];
            int i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var vw = Cast(w);
                var vg = MemoryMarshal.Cast<float, Vector<float>>(g);
                var vm = Cast(m.AsSpan(0, w.Length));
                var vv = Cast(v.AsSpan(0, w.Length));
                Vector<float> b1 = new(_beta1f), omb1 = new(_oneMinusBeta1), b2 = new(_beta2f), omb2 = new(_oneMinusBeta2);
                Vector<float> eps = new(_epsilon), wd = new(_weightDecayf), dec = new(decay), corr = new(correction), step = new(stepSize);
                for (int k = 0; k < vw.Length; k++)
                {
                    if (_decoupled)
                        vw[k] *= dec;
                    var gk = addDecay ? vg[k] + vw[k] * wd : vg[k];
                    vm[k] = vm[k] * b1 + gk * omb1;
                    vv[k] = vv[k] * b2 + gk * gk * omb2;
                    vw[k] += step * (vm[k] / (Vector.SquareRoot(vv[k]) / corr + eps));
                }
                i = vw.Length * Vector<float>.Count;
            }
            for (; i < w.Length; i++)
            {
                if (_decoupled)
                    w[i] *= decay;
                float gi = addDecay ? g[i] + w[i] * _weightDecayf : g[i];
                m[i] = m[i] * _beta1f + gi * _oneMinusBeta1;
                v[i] = v[i] * _beta2f + gi * gi * _oneMinusBeta2;
                float denominator = MathF.Sqrt(v[i]) / correction + _epsilon;
                w[i] += stepSize * (m[i] / denominator);
            }
        }
    }

    /// <summary>SGD: b ← g at the first step, then b ← μ·b + g (momentum μ &gt; 0), w ← w − lr·b (or −lr·g without momentum).</summary>
    private sealed class Sgd : ManagedOptimizer
    {
        private readonly float[][] _buffers;
        private readonly bool[] _started;
        private readonly float _momentum;
        private readonly bool _useMomentum;

        public Sgd(IReadOnlyList<int> sizes, double lr, double momentum) : base(lr)
        {
            _buffers = sizes.Select(n => new float[n]).ToArray();
            _started = new bool[sizes.Count];
            _momentum = (float)momentum;
            _useMomentum = momentum != 0;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Step(int index, Span<float> w, ReadOnlySpan<float> g)
        {
            float negativeRate = (float)-LearningRate;
            if (!_useMomentum)
            {
                Descend(w, g, negativeRate);
                return;
            }
            var b = _buffers[index];
            if (!_started[index])
            {
                g.CopyTo(b);
                _started[index] = true;
            }
            else
            {
                int i = 0;
                if (Vector.IsHardwareAccelerated)
                {
                    var vb = Cast(b.AsSpan(0, w.Length));
                    var vg = MemoryMarshal.Cast<float, Vector<float>>(g);
                    var mu = new Vector<float>(_momentum);
                    for (int k = 0; k < vb.Length; k++)
                        vb[k] = vb[k] * mu + vg[k];
                    i = vb.Length * Vector<float>.Count;
                }
                for (; i < w.Length; i++)
                    b[i] = b[i] * _momentum + g[i];
            }
            Descend(w, b, negativeRate);
        }

        /// <summary>w ← w + (−lr)·d, element by element.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Descend(Span<float> w, ReadOnlySpan<float> d, float negativeRate)
        {
            int i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var vw = Cast(w);
                var vd = MemoryMarshal.Cast<float, Vector<float>>(d[..w.Length]);
                var rate = new Vector<float>(negativeRate);
                for (int k = 0; k < vw.Length; k++)
                    vw[k] += rate * vd[k];
                i = vw.Length * Vector<float>.Count;
            }
            for (; i < w.Length; i++)
                w[i] += negativeRate * d[i];
        }
    }
}
