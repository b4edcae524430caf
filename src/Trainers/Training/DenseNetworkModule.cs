using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>
/// The network: per hidden layer Linear → activation → inverted dropout (training only), then a Linear output
/// layer producing logits (or the regression value). Kernels are Glorot-uniform, biases zero, as Keras' Dense.
/// Dropout draws from the module's own generator so a seeded run never touches libtorch's global RNG.
/// </summary>
internal sealed class DenseNetworkModule : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Linear> layers;
    private readonly Activation _activation;
    private readonly double _dropoutRate;
    private readonly Generator _generator;
    private readonly Scalar _dropoutThreshold;
    private readonly Scalar _keepProbability;

    public DenseNetworkModule(int inputSize, IReadOnlyList<int> hiddenSizes, int outputSize, Activation activation, double dropoutRate, Generator generator)
        : base(nameof(DenseNetworkModule))
    {
        _activation = activation;
        _dropoutRate = dropoutRate;
        _generator = generator;
        // created once: TorchSharp frees implicitly converted Scalars only in finalizers (see KerasRmsProp)
        _dropoutThreshold = dropoutRate.ToScalar();
        _keepProbability = (1.0 - dropoutRate).ToScalar();
        layers = new ModuleList<Linear>();
        int fanIn = inputSize;
        foreach (var size in hiddenSizes.Append(outputSize))
        {
            var layer = nn.Linear(fanIn, size);
            using (no_grad())
            {
                double limit = Math.Sqrt(6.0 / (fanIn + size));
                // Tensor.uniform_ honors the generator (TorchSharp 0.107's nn.init.uniform_ ignores it)
                layer.weight!.uniform_(-limit, limit, generator);
                nn.init.zeros_(layer.bias!);
            }
            layers.Add(layer);
            fanIn = size;
        }
        RegisterComponents();
    }

    /// <summary>Rebuilds a module holding a trained model's weights (for checks against libtorch's own forward pass).</summary>
    internal static DenseNetworkModule FromModel(DenseNetworkModel model, double dropoutRate, Generator generator)
    {
        var module = new DenseNetworkModule(model.InputSize, model.HiddenLayerSizes, model.OutputSize, model.Activation, dropoutRate, generator);
        module.Load(model.Layers);
        return module;
    }

    /// <summary>
    /// Copies trained layers into this module (a warm start, or a check against libtorch): every parameter a
    /// <see cref="DenseLayer"/> stores. The sizes must match this module's; callers check that first.
    /// </summary>
    public void Load(IReadOnlyList<DenseLayer> trained)
    {
        if (trained.Count != layers.Count)
            throw new ArgumentException($"{trained.Count} layers for a module of {layers.Count}.", nameof(trained));
        using var noGrad = no_grad();
        for (int i = 0; i < trained.Count; i++)
        {
            var layer = trained[i];
            using var w = tensor(layer.WeightsArray, new long[] { layer.OutputSize, layer.InputSize });
            using var b = tensor(layer.BiasArray, new long[] { layer.OutputSize });
            layers[i].weight!.copy_(w);
            layers[i].bias!.copy_(b);
        }
    }

    /// <summary>The Linear layers, input side first; the last one is the output layer.</summary>
    public IReadOnlyList<Linear> Layers => layers.ToArray();

    /// <summary>The kernels (weight matrices) the L1/L2 penalties apply to.</summary>
    public IEnumerable<Parameter> Kernels => layers.Select(l => l.weight!);

    public override Tensor forward(Tensor input)
    {
        var x = input;
        for (int i = 0; i < layers.Count; i++)
        {
            x = layers[i].forward(x);
            if (i == layers.Count - 1)
                break;
            x = Activate(x);
            if (training && _dropoutRate > 0)
            {
                var keep = rand(x.shape, generator: _generator).ge_(_dropoutThreshold);
                x = x.mul(keep).div_(_keepProbability);
            }
        }
        return x;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _dropoutThreshold.Dispose();
            _keepProbability.Dispose();
        }
        base.Dispose(disposing);
    }

    private Tensor Activate(Tensor x) => _activation switch
    {
        Activation.Relu => nn.functional.relu(x),
        Activation.Tanh => x.tanh(),
        Activation.Gelu => nn.functional.gelu(x),
        Activation.Sigmoid => x.sigmoid(),
        _ => throw new ArgumentOutOfRangeException(nameof(_activation)),
    };
}
