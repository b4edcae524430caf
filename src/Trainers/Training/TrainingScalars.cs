using TorchSharp;
using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>
/// Why no training path lets C# convert a number to a <see cref="Scalar"/> implicitly. TorchSharp 0.107's
/// <c>Tensor.pow(Scalar e)</c> (and every method like it) reads <c>e.Handle</c> and then calls libtorch; an implicitly
/// converted Scalar is referenced by nothing after that read, so while libtorch runs, a GC started by another thread's
/// allocation can finalize it and free the native Scalar in use (no GC.KeepAlive): libtorch's
/// <c>INTERNAL ASSERT FAILED ... Scalar.h</c> in <c>pow_Tensor_Scalar</c>, or worse. Parallel trials and folds make
/// that reachable. So every number that becomes a Scalar on a Fit or FindLearningRate path is a Scalar held in a field
/// (<see cref="TorchAdam"/>, <see cref="TorchSgd"/>, <see cref="GradientClipping"/>,
/// <see cref="NormalizationModule"/>, <see cref="DenseNetworkModule"/>, <see cref="Losses"/>, here) or in a
/// <c>using var</c> that outlives the call (<see cref="Losses.Penalty"/>, <see cref="KernelInitialization"/>);
/// <see cref="KerasRmsProp"/> needs none (its arithmetic is managed, <see cref="FusedSteps"/>).
/// <para>
/// The TorchSharp calls the training paths make, read in its 0.107 source, that convert no Scalar and so are safe:
/// nn.functional.binary_cross_entropy_with_logits, cross_entropy (label_smoothing is passed as a double),
/// huber_loss (delta as a double), layer_norm and batch_norm (eps, momentum as doubles), linear, relu, gelu;
/// Tensor.tanh, sigmoid, sub(Tensor) and the − operator, mul(Tensor), div_(Tensor), mean(), sum(), abs(), argmax,
/// eq(Tensor), var_mean, squeeze, narrow, index_select, stack, sparse_coo_tensor, mm, t(), copy_, clone, detach, sqrt_, erfinv_, norm (p as a float),
/// uniform_(double, double, Generator), zero_(), backward(); torch.rand, randperm, zeros, ones, zeros_like,
/// empty_like, tensor, frombuffer; nn.Linear's constructor (init functions take doubles); Module.zero_grad.
/// Unsafe, and not called: Tensor.square() (pow(2); <see cref="Losses.Square"/> instead), add(Tensor) (alpha 1;
/// <see cref="Losses.Add"/>), add_(Scalar) without alpha, arange(n) (0, n and 1; <see cref="RowOrder"/> here), the
/// Tensor-and-number operators, and TorchSharp's optimizers (Adam, AdamW, SGD convert their coefficients on every
/// step; <see cref="TorchAdam"/> and <see cref="TorchSgd"/> perform the same arithmetic instead).
/// </para>
/// </summary>
internal static class TrainingScalars
{
    private static readonly Scalar RangeStart = 0L.ToScalar();
    private static readonly Scalar RangeStep = 1L.ToScalar();

    /// <summary>The order an epoch visits the rows in: a permutation drawn from <paramref name="generator"/>, or 0, 1, …, rows − 1 (Int64).</summary>
    public static Tensor RowOrder(int rows, bool shuffle, Generator generator)
    {
        if (shuffle)
            return randperm(rows, generator: generator);
        using var stop = ((long)rows).ToScalar();
        return arange(RangeStart, stop, RangeStep, ScalarType.Int64);
    }
}
