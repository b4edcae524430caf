using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>
/// RMSprop as Keras computes it: v ← ρ·v + (1−ρ)·g², w ← w − lr·g / √(v + ε), ρ = 0.9, ε = 1e-7, v starting at 0.
/// (PyTorch's RMSprop adds ε outside the square root, which changes the very first steps.)
/// Each step walks every parameter in blocks (<see cref="DefaultBlockElements"/>): a managed pass updates v and writes
/// v + ε into a block-sized scratch tensor (<see cref="FusedSteps.RmsPropVelocity"/>), libtorch takes its square root
/// in place, and a managed pass updates the weights (<see cref="FusedSteps.AddQuotient"/>); the block stays in the
/// core's cache between the three. Bit-identical to the six in-place libtorch operations per parameter it replaced
/// (FusedStepTests), it creates no Scalar at all (the rate lives as a float) and needs no weight-sized buffer
/// besides v. TorchSharp frees an implicitly converted Scalar only in its finalizer,
/// and a few of those per batch, interleaved with weight-sized temporaries, once fragmented the native heap by one
/// weight-sized block per batch (RSS +576 MB per epoch on the lecture's model).
/// </summary>
internal sealed class KerasRmsProp : IStepOptimizer
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _velocities;
    private readonly Tensor _scratch;
    private readonly int _blockElements;
    private readonly float _rho;
    private readonly float _oneMinusRho;
    private readonly float _epsilon;
    private float _negativeLearningRate;

    /// <summary>Elements per block: 256 KB of each stream, so a block's w, g, v and v + ε stay in a core's L2 cache.</summary>
    internal const int DefaultBlockElements = 1 << 16;

    /// <param name="parameters">The parameters to train.</param>
    /// <param name="learningRate">lr.</param>
    /// <param name="rho">ρ.</param>
    /// <param name="epsilon">ε.</param>
    /// <param name="blockElements">Elements per block (the bits do not depend on it; the speed does).</param>
    public KerasRmsProp(IEnumerable<Parameter> parameters, double learningRate, double rho = 0.9, double epsilon = 1e-7, int blockElements = DefaultBlockElements)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockElements, 1);
        _parameters = parameters.ToArray();
        foreach (var p in _parameters)
            TensorMemory.CheckWritable(p, "Every parameter");
        // libtorch converts each Scalar coefficient to the tensors' float32 the same way
        _rho = (float)rho;
        _oneMinusRho = (float)(1 - rho);
        _epsilon = (float)epsilon;
        _negativeLearningRate = (float)-learningRate;
        LearningRate = learningRate;
        _velocities = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        _blockElements = blockElements;
        _scratch = zeros(Math.Min(blockElements, _parameters.Select(p => p.numel()).DefaultIfEmpty(1).Max())).DetachFromDisposeScope();
    }

    /// <summary>The rate of the next steps.</summary>
    public double LearningRate { get; private set; }

    /// <summary>Changes the rate from the next step on.</summary>
    public void SetLearningRate(double learningRate)
    {
        _negativeLearningRate = (float)-learningRate;
        LearningRate = learningRate;
    }

    public void Step()
    {
        var scratch = TensorMemory.Block(_scratch, 0);
        for (int i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            using var grad = parameter.grad;
            if (grad is null)
                continue;
            TensorMemory.CheckWritable(grad, "A gradient");
            for (int b = TensorMemory.Blocks(parameter.numel()) - 1; b >= 0; b--)
            {
                var w = TensorMemory.Block(parameter, b);
                var g = TensorMemory.Block(grad, b);
                var v = TensorMemory.Block(_velocities[i], b);
                for (int start = 0; start < w.Length; start += _blockElements)
                {
                    int length = Math.Min(_blockElements, w.Length - start);
                    var d = scratch[..length];
                    FusedSteps.RmsPropVelocity(g.Slice(start, length), v.Slice(start, length), d, _rho, _oneMinusRho, _epsilon);
                    SquareRoot(length);
                    FusedSteps.AddQuotient(w.Slice(start, length), g.Slice(start, length), d, _negativeLearningRate);
                }
            }
        }
    }

    /// <summary>libtorch's square root of the scratch tensor's first <paramref name="length"/> elements, in place.</summary>
    private void SquareRoot(int length)
    {
        if (length == _scratch.shape[0])
        {
            _scratch.sqrt_();
            return;
        }
        using var part = _scratch.narrow(0, 0, length);
        part.sqrt_();
    }

    public void Dispose()
    {
        foreach (var t in _velocities)
            t.Dispose();
        _scratch.Dispose();
    }
}
