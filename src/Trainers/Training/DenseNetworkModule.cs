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

    public DenseNetworkModule(int inputSize, IReadOnlyList<int> hiddenSizes, int outputSize, Activation activation, double dropoutRate, Generator generator)
        : base(nameof(DenseNetworkModule))
    {
        _activation = activation;
        _dropoutRate = dropoutRate;
        _generator = generator;
        layers = new ModuleList<Linear>();
        int fanIn = inputSize;
        foreach (var size in hiddenSizes.Append(outputSize))
        {
            var layer = nn.Linear(fanIn, size);
            using (no_grad())
            {
                double limit = Math.Sqrt(6.0 / (fanIn + size));
                nn.init.uniform_(layer.weight!, -limit, limit, generator);
                nn.init.zeros_(layer.bias!);
            }
            layers.Add(layer);
            fanIn = size;
        }
        RegisterComponents();
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
                var keep = rand(x.shape, generator: _generator).ge_(_dropoutRate);
                x = x.mul(keep).div_(1.0 - _dropoutRate);
            }
        }
        return x;
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
