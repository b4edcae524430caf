using MlNetDeep.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>
/// What every libtorch run of a trainer sets up and undoes: libtorch loaded, the options' thread count and
/// flush-to-zero for the run (both restored on dispose), the seed (given or drawn) and a generator from it, and a new
/// <see cref="DenseNetworkModule"/> of the options' architecture drawn from that generator.
/// </summary>
internal sealed class TorchSession : IDisposable
{
    private readonly int _previousThreads;
    private readonly bool _flushed;

    public TorchSession(DenseNetworkOptions options, int inputSize, int outputSize)
    {
        LibTorchRuntime.EnsureLoaded();
        Seed = options.Seed ?? Random.Shared.Next();
        // libtorch keeps the intra-op thread count per thread (OpenMP's and MKL's settings are thread-local), so
        // parallel fits on threads of their own each keep theirs. Read it before setting it: a thread's first call
        // initializes its count from the last value set by ANY thread, which would overwrite a count set before it.
        _previousThreads = torch.get_num_threads();
        torch.set_num_threads(options.EffectiveNumberOfThreads);
        _flushed = LibTorchRuntime.TrySetFlushDenormal(true);
        Generator = new Generator((ulong)Seed, CPU);
        Module = new DenseNetworkModule(inputSize, options.EffectiveHiddenLayerSizes, outputSize, options.Activation, options.DropoutRate, Generator, options.Normalization, options.KernelInitializer);
    }

    /// <summary>The seed of the run: the options' or the one drawn.</summary>
    public int Seed { get; }

    public Generator Generator { get; }

    public DenseNetworkModule Module { get; }

    public void Dispose()
    {
        Module.Dispose();
        Generator.Dispose();
        if (_flushed)
            LibTorchRuntime.TrySetFlushDenormal(false);
        torch.set_num_threads(_previousThreads);
    }
}
