using System.Runtime.CompilerServices;
using MlNetDeep.Native;
using static TorchSharp.torch;

namespace MlNetDeep.Training.Managed;

/// <summary>
/// A <see cref="DenseNetworkModule"/> without normalization as managed arrays: per layer the kernel in libtorch's
/// [outputs, inputs] row-major layout, the bias and their gradients, and the batch's pre-activations, activations
/// and dropout masks. <see cref="Forward"/> and <see cref="Backward"/> compute what the module's forward pass and
/// autograd compute (Linear → activation → inverted dropout per hidden layer, then a Linear output layer),
/// allocation-free after construction: either <see cref="Batched"/>, each layer's three matrix products for the whole
/// batch by MKL's sgemm (<see cref="MklGemm"/>, the function libtorch's addmm and mm call), or one row at a time with
/// <see cref="VectorMath"/> kernels (where sgemm is missing); the bias, activation, dropout and bias sums in the same
/// managed passes either way.
/// </summary>
internal sealed class ManagedNetwork
{
    private readonly int[] _sizes;
    private readonly Activation _activation;
    private readonly float _keepProbability;
    private readonly float[][] _preActivations; // z per layer, [batch, outputs]
    private readonly float[][] _activations;    // f(z) per hidden layer, before dropout
    private readonly float[][] _outputs;        // what the next layer reads: f(z) after dropout (the same array without dropout)
    private readonly float[][]? _masks;         // 1 kept, 0 dropped, per hidden layer
    private readonly float[][] _gradients;      // d loss / d z per layer
    private readonly float[] _hiddenGradient;   // d loss / d (next layer's input), one row

    /// <param name="sizes">Inputs, every hidden layer's width, outputs.</param>
    /// <param name="activation">The hidden layers' activation.</param>
    /// <param name="dropoutRate">Inverted dropout after each hidden activation in training (0: none).</param>
    /// <param name="batchSize">The largest batch.</param>
    /// <param name="batched">Matrix products by <see cref="MklGemm"/> (which must be available) instead of row by row.</param>
    public ManagedNetwork(IReadOnlyList<int> sizes, Activation activation, double dropoutRate, int batchSize, bool batched = false)
    {
        if (batched && !MklGemm.IsAvailable)
            throw new InvalidOperationException("The batched managed network needs MKL's sgemm, which this libtorch build does not provide.");
        Batched = batched;
        _sizes = sizes.ToArray();
        _activation = activation;
        DropoutRate = dropoutRate;
        _keepProbability = (float)(1.0 - dropoutRate);
        int layers = _sizes.Length - 1;
        Kernels = new float[layers][];
        Biases = new float[layers][];
        KernelGradients = new float[layers][];
        BiasGradients = new float[layers][];
        _preActivations = new float[layers][];
        _activations = new float[layers - 1][];
        _outputs = new float[layers - 1][];
        _masks = dropoutRate > 0 ? new float[layers - 1][] : null;
        _gradients = new float[layers][];
        for (int l = 0; l < layers; l++)
        {
            int fanIn = _sizes[l], width = _sizes[l + 1];
            Kernels[l] = new float[fanIn * width];
            KernelGradients[l] = new float[fanIn * width];
            Biases[l] = new float[width];
            BiasGradients[l] = new float[width];
            _preActivations[l] = new float[batchSize * width];
            _gradients[l] = new float[batchSize * width];
            if (l == layers - 1)
                continue;
            _activations[l] = new float[batchSize * width];
            _outputs[l] = dropoutRate > 0 ? new float[batchSize * width] : _activations[l];
            if (_masks is not null)
                _masks[l] = new float[batchSize * width];
        }
        _hiddenGradient = new float[_sizes.Max()];
    }

    /// <summary>The kernels, [outputs, inputs] row-major per layer (as libtorch's Linear.weight), input side first.</summary>
    public float[][] Kernels { get; }

    public float[][] Biases { get; }

    public float[][] KernelGradients { get; }

    public float[][] BiasGradients { get; }

    public double DropoutRate { get; }

    /// <summary>Whether the matrix products run as whole-batch GEMM calls (<see cref="MklGemm"/>) rather than row by row.</summary>
    public bool Batched { get; }

    /// <summary>Hidden layers (each followed by the activation and dropout).</summary>
    public int HiddenLayers => _sizes.Length - 2;

    /// <summary>Width of hidden layer <paramref name="layer"/>.</summary>
    public int HiddenWidth(int layer) => _sizes[layer + 1];

    public int Outputs => _sizes[^1];

    /// <summary>Every parameter in the module's order (layer by layer: kernel, then bias) with its gradient.</summary>
    public IEnumerable<(float[] Values, float[] Gradient)> Parameters()
    {
        for (int l = 0; l < Kernels.Length; l++)
        {
            yield return (Kernels[l], KernelGradients[l]);
            yield return (Biases[l], BiasGradients[l]);
        }
    }

    /// <summary>Hidden layer <paramref name="layer"/>'s dropout mask for the next forward pass (count × width; 1 kept, 0 dropped).</summary>
    public Span<float> Mask(int layer, int count) => _masks![layer].AsSpan(0, count * HiddenWidth(layer));

    /// <summary>
    /// The outputs (logits or regression values) of <paramref name="count"/> rows of <paramref name="x"/>
    /// (count × inputs, row-major), [count, outputs]; with <paramref name="training"/> and dropout, the masks set
    /// through <see cref="Mask"/> apply.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> x, int count, bool training)
    {
        if (Batched)
            return ForwardBatched(x, count, training);
        ReadOnlySpan<float> input = x;
        int last = Kernels.Length - 1;
        for (int l = 0; l <= last; l++)
        {
            int fanIn = _sizes[l], width = _sizes[l + 1];
            var z = _preActivations[l].AsSpan(0, count * width);
            var kernel = Kernels[l];
            var bias = Biases[l];
            int b = 0;
            for (; b + 4 <= count; b += 4) // four rows per kernel row loaded
            {
                var r0 = input.Slice(b * fanIn, fanIn);
                var r1 = input.Slice((b + 1) * fanIn, fanIn);
                var r2 = input.Slice((b + 2) * fanIn, fanIn);
                var r3 = input.Slice((b + 3) * fanIn, fanIn);
                for (int o = 0; o < width; o++)
                {
                    VectorMath.Dot4(r0, r1, r2, r3, kernel.AsSpan(o * fanIn, fanIn), out float s0, out float s1, out float s2, out float s3);
                    z[b * width + o] = s0 + bias[o];
                    z[(b + 1) * width + o] = s1 + bias[o];
                    z[(b + 2) * width + o] = s2 + bias[o];
                    z[(b + 3) * width + o] = s3 + bias[o];
                }
            }
            for (; b < count; b++)
            {
                var row = input.Slice(b * fanIn, fanIn);
                var zRow = z.Slice(b * width, width);
                for (int o = 0; o < width; o++)
                    zRow[o] = VectorMath.Dot(row, kernel.AsSpan(o * fanIn, fanIn)) + bias[o];
            }
            if (l == last)
                return z;
            var a = _activations[l].AsSpan(0, count * width);
            ManagedActivation.Forward(_activation, z, a);
            if (training && _masks is not null)
            {
                var mask = _masks[l];
                var output = _outputs[l];
                for (int i = 0; i < a.Length; i++)
                    output[i] = a[i] * mask[i] / _keepProbability; // x.mul(keep).div_(1 − rate), as the module
                input = output.AsSpan(0, a.Length);
            }
            else
            {
                input = a;
            }
        }
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>
    /// The gradient buffer of the output layer, [count, outputs]: the loss writes d loss / d output there before
    /// <see cref="Backward"/>.
    /// </summary>
    public Span<float> OutputGradient(int count) => _gradients[^1].AsSpan(0, count * Outputs);

    /// <summary>
    /// Sets every kernel and bias gradient of the last <see cref="Forward"/> (in training mode) from the output
    /// gradient: d kernel = d zᵀ · input, d bias = Σ rows of d z, back through dropout and the activation to the first layer.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Backward(ReadOnlySpan<float> x, int count, bool training)
    {
        if (Batched)
        {
            BackwardBatched(x, count, training);
            return;
        }
        for (int l = Kernels.Length - 1; l >= 0; l--)
        {
            int fanIn = _sizes[l], width = _sizes[l + 1];
            var g = _gradients[l].AsSpan(0, count * width);
            ReadOnlySpan<float> input = l == 0 ? x : (training && _masks is not null ? _outputs[l - 1] : _activations[l - 1]).AsSpan(0, count * fanIn);
            var kernelGradient = KernelGradients[l].AsSpan();
            var biasGradient = BiasGradients[l].AsSpan();
            kernelGradient.Clear();
            biasGradient.Clear();
            int block = 0;
            for (; block + 4 <= count; block += 4) // each kernel-gradient row loaded once for four rows, summed in row order as below
            {
                var r0 = input.Slice(block * fanIn, fanIn);
                var r1 = input.Slice((block + 1) * fanIn, fanIn);
                var r2 = input.Slice((block + 2) * fanIn, fanIn);
                var r3 = input.Slice((block + 3) * fanIn, fanIn);
                for (int o = 0; o < width; o++)
                {
                    float g0 = g[block * width + o], g1 = g[(block + 1) * width + o], g2 = g[(block + 2) * width + o], g3 = g[(block + 3) * width + o];
                    VectorMath.Axpy4(g0, r0, g1, r1, g2, r2, g3, r3, kernelGradient.Slice(o * fanIn, fanIn));
                    biasGradient[o] = biasGradient[o] + g0 + g1 + g2 + g3;
                }
            }
            for (int b = block; b < count; b++)
            {
                var gRow = g.Slice(b * width, width);
                var row = input.Slice(b * fanIn, fanIn);
                for (int o = 0; o < width; o++)
                {
                    VectorMath.Axpy(gRow[o], row, kernelGradient.Slice(o * fanIn, fanIn));
                    biasGradient[o] += gRow[o];
                }
            }
            if (l == 0)
                return;
            // d input of layer l = d z · kernel, then back through dropout ((g / keep probability) · mask) and the activation
            var below = _gradients[l - 1].AsSpan(0, count * fanIn);
            var kernel = Kernels[l];
            for (int b = 0; b < count; b++)
            {
                var gRow = g.Slice(b * width, width);
                var h = _hiddenGradient.AsSpan(0, fanIn);
                h.Clear();
                for (int o = 0; o < width; o++)
                    VectorMath.Axpy(gRow[o], kernel.AsSpan(o * fanIn, fanIn), h);
                h.CopyTo(below.Slice(b * fanIn, fanIn));
            }
            if (training && _masks is not null)
            {
                var mask = _masks[l - 1];
                for (int i = 0; i < below.Length; i++)
                    below[i] = below[i] / _keepProbability * mask[i];
            }
            ManagedActivation.Backward(_activation, _preActivations[l - 1].AsSpan(0, below.Length), _activations[l - 1].AsSpan(0, below.Length), below);
        }
    }

    /// <summary>
    /// <see cref="Forward"/> with each layer's product as one GEMM call. The hidden layers' buffers hold the batch
    /// transposed, [width, count] (MKL runs W·xᵀ faster than x·Wᵀ on the lecture's shapes: 616 against 677 µs median
    /// for its first layer, <c>MlNetDeep.Benchmarks gemm-layouts</c>); the output layer's stay [count, outputs] for the
    /// loss. The dropout masks keep their [count, width] order (as they are drawn).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ReadOnlySpan<float> ForwardBatched(ReadOnlySpan<float> x, int count, bool training)
    {
        ReadOnlySpan<float> input = x; // layer 0: x, [count, inputs]; above: the layer below's output, [fanIn, count]
        int last = Kernels.Length - 1;
        for (int l = 0; l <= last; l++)
        {
            int fanIn = _sizes[l], width = _sizes[l + 1];
            var z = _preActivations[l].AsSpan(0, count * width);
            var kernel = Kernels[l];
            var bias = Biases[l];
            if (l == last)
            {
                // z = bias + input · kernelᵀ, [count, outputs]: the bias copied into every row, then the product added (β = 1)
                for (int r = 0; r < count; r++)
                    bias.CopyTo(z.Slice(r * width, width));
                if (l == 0)
                    MklGemm.Multiply(false, true, count, width, fanIn, 1f, input, fanIn, kernel, fanIn, 1f, z, width);
                else
                    MklGemm.Multiply(true, true, count, width, fanIn, 1f, input, count, kernel, fanIn, 1f, z, width);
                return z;
            }
            // zᵀ = bias + kernel · inputᵀ, [width, count]: row j of zᵀ starts as bias[j]
            for (int j = 0; j < width; j++)
                z.Slice(j * count, count).Fill(bias[j]);
            if (l == 0)
                MklGemm.Multiply(false, true, width, count, fanIn, 1f, kernel, fanIn, input, fanIn, 1f, z, count);
            else
                MklGemm.Multiply(false, false, width, count, fanIn, 1f, kernel, fanIn, input, count, 1f, z, count);
            var a = _activations[l].AsSpan(0, count * width);
            ManagedActivation.Forward(_activation, z, a);
            if (training && _masks is not null)
            {
                var mask = _masks[l];
                var output = _outputs[l];
                for (int j = 0; j < width; j++)
                {
                    for (int b = 0; b < count; b++)
                        output[j * count + b] = a[j * count + b] * mask[b * width + j] / _keepProbability; // as the row path
                }
                input = output.AsSpan(0, a.Length);
            }
            else
            {
                input = a;
            }
        }
        throw new InvalidOperationException("unreachable");
    }

    /// <summary><see cref="Backward"/> with each layer's products as GEMM calls, on <see cref="ForwardBatched"/>'s layouts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BackwardBatched(ReadOnlySpan<float> x, int count, bool training)
    {
        int last = Kernels.Length - 1;
        for (int l = last; l >= 0; l--)
        {
            int fanIn = _sizes[l], width = _sizes[l + 1];
            var g = _gradients[l].AsSpan(0, count * width); // [count, outputs] at the output layer, [width, count] below
            ReadOnlySpan<float> input = l == 0 ? x : (training && _masks is not null ? _outputs[l - 1] : _activations[l - 1]).AsSpan(0, count * fanIn);
            var kernel = Kernels[l];
            var kernelGradient = KernelGradients[l].AsSpan();
            var biasGradient = BiasGradients[l].AsSpan();
            // d kernel = d zᵀ · input, [width, fanIn] (β = 0: overwritten); d bias = d z summed over the batch
            bool gTransposed = l != last, inputTransposed = l != 0;
            MklGemm.Multiply(!gTransposed, inputTransposed, width, fanIn, count, 1f, g, gTransposed ? count : width,
                input, inputTransposed ? count : fanIn, 0f, kernelGradient, fanIn);
            if (gTransposed)
            {
                for (int j = 0; j < width; j++)
                    biasGradient[j] = VectorMath.Sum(g.Slice(j * count, count));
            }
            else
            {
                biasGradient.Clear();
                for (int r = 0; r < count; r++)
                    VectorMath.Axpy(1f, g.Slice(r * width, width), biasGradient); // rows in order, as the row path sums them (× 1 is exact)
            }
            if (l == 0)
                return;
            // d inputᵀ = kernelᵀ · d zᵀ, [fanIn, count], then back through dropout and the activation
            var below = _gradients[l - 1].AsSpan(0, count * fanIn);
            MklGemm.Multiply(true, !gTransposed, fanIn, count, width, 1f, kernel, fanIn, g, gTransposed ? count : width, 0f, below, count);
            if (training && _masks is not null)
            {
                var mask = _masks[l - 1];
                for (int j = 0; j < fanIn; j++)
                {
                    for (int b = 0; b < count; b++)
                        below[j * count + b] = below[j * count + b] / _keepProbability * mask[b * fanIn + j];
                }
            }
            ManagedActivation.Backward(_activation, _preActivations[l - 1].AsSpan(0, below.Length), _activations[l - 1].AsSpan(0, below.Length), below);
        }
    }

    /// <summary>Copies the module's kernels and biases in (the module stays the record of the weights between epochs).</summary>
    public void LoadFrom(DenseNetworkModule module)
    {
        using var noGrad = no_grad();
        var layers = module.Layers;
        for (int l = 0; l < layers.Count; l++)
        {
            layers[l].weight!.data<float>().CopyTo(Kernels[l]);
            layers[l].bias!.data<float>().CopyTo(Biases[l]);
        }
    }

    /// <summary>Copies the kernels and biases into the module.</summary>
    public void StoreInto(DenseNetworkModule module)
    {
        using var noGrad = no_grad();
        var layers = module.Layers;
        for (int l = 0; l < layers.Count; l++)
        {
            Copy(layers[l].weight!, Kernels[l]);
            Copy(layers[l].bias!, Biases[l]);
        }
    }

    private static void Copy(Tensor target, float[] values)
    {
        using var source = tensor(values, target.shape);
        target.copy_(source);
    }
}
