using MlNetDeep.Native;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>
/// RMSprop as Keras computes it: v ← ρ·v + (1−ρ)·g², w ← w − lr·g / √(v + ε), ρ = 0.9, ε = 1e-7, v starting at 0.
/// (PyTorch's RMSprop adds ε outside the square root, which changes the very first steps.)
/// Each step walks every parameter once in chunks of <see cref="ChunkElements"/>: a managed pass updates v and writes
/// v + ε into a stack buffer (<see cref="FusedSteps.RmsPropVelocity"/>), libtorch's own square root (MKL's, called
/// directly: <see cref="MklSquareRoot"/>) replaces it in place, and a managed pass updates the weights
/// (<see cref="FusedSteps.AddQuotient"/>), all while the chunk is in the L1 cache: one trip through memory for w, g and
/// v (5 × 1.6 MB per step on the lecture's model), 0.22 against 0.33 ms per step when the square root was a libtorch
/// operation on 64K-element blocks (build/bench step-anatomy). Where MKL's function is not there or not bit-identical to
/// libtorch's sqrt_, the square root stays a libtorch operation on blocks of <see cref="DefaultBlockElements"/>.
/// Either way bit-identical to the six in-place libtorch operations per parameter it replaced (FusedStepTests), it
/// creates no Scalar at all (the rate lives as a float) and needs no weight-sized buffer besides v. TorchSharp frees an
/// implicitly converted Scalar only in its finalizer, and a few of those per batch, interleaved with weight-sized
/// temporaries, once fragmented the native heap by one weight-sized block per batch (RSS +576 MB per epoch on the
/// lecture's model).
/// </summary>
internal sealed class KerasRmsProp : IStepOptimizer
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _velocities;
    private readonly Tensor _scratch;
    private readonly int _blockElements;
    private readonly bool _direct;
    private readonly float _rho;
    private readonly float _oneMinusRho;
    private readonly float _epsilon;
    private float _negativeLearningRate;

    /// <summary>Elements per block when libtorch takes the square root: 256 KB of each stream, so a block's w, g, v and v + ε stay in a core's L2 cache.</summary>
    internal const int DefaultBlockElements = 1 << 16;

    /// <summary>
    /// Elements per chunk when MKL's square root is called directly: 2 KB of each stream stay in L1 between the three
    /// passes (512 was the fastest of 256 to 8,192 in two step-anatomy runs, load average ~20: 219–221, 219–227, 253–254,
    /// 268–271, 319–321 and 347–351 µs per step for 512, 256, 1,024, 2,048, 4,096 and 8,192).
    /// </summary>
    internal const int ChunkElements = 512;

    /// <param name="parameters">The parameters to train.</param>
    /// <param name="learningRate">lr.</param>
    /// <param name="rho">ρ.</param>
    /// <param name="epsilon">ε.</param>
    /// <param name="blockElements">Elements per block (the bits do not depend on it; the speed does).</param>
    /// <param name="directSquareRoot">Whether to call MKL's square root directly where it is available (false: always libtorch's operation on blocks).</param>
    public KerasRmsProp(IEnumerable<Parameter> parameters, double learningRate, double rho = 0.9, double epsilon = 1e-7, int blockElements = DefaultBlockElements,
        bool directSquareRoot = true)
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
        _direct = directSquareRoot && MklSquareRoot.IsAvailable;
        long largest = _parameters.Select(p => p.numel()).DefaultIfEmpty(1).Max();
        _scratch = (_direct ? empty(0) : zeros(Math.Min(blockElements, largest))).DetachFromDisposeScope();
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
        // MKL's square root runs on a stack chunk that stays in L1; libtorch's needs a tensor, the scratch block
        int chunkElements = _direct ? ChunkElements : _blockElements;
        Span<float> scratch = _direct ? stackalloc float[ChunkElements] : TensorMemory.Block(_scratch, 0);
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
                for (int start = 0; start < w.Length; start += chunkElements)
                {
                    int length = Math.Min(chunkElements, w.Length - start);
                    var d = scratch[..length];
                    FusedSteps.RmsPropVelocity(g.Slice(start, length), v.Slice(start, length), d, _rho, _oneMinusRho, _epsilon);
                    if (_direct)
                        MklSquareRoot.Compute(d);
                    else
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
