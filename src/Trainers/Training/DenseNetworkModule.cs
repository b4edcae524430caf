using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>
/// The network: per hidden layer Linear → normalization (optional) → activation → inverted dropout (training
/// only), then a Linear output layer producing logits (or the regression value). Kernels follow the configured
/// <see cref="KernelInitializer"/> (Glorot-uniform by default), biases are zero, as Keras' Dense.
/// Initialization and dropout draw from the module's own generator so a seeded run never touches libtorch's global RNG.
/// </summary>
internal sealed class DenseNetworkModule : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Linear> layers;
    private readonly ModuleList<NormalizationModule> normalizations;
    private readonly Activation _activation;
    private readonly double _dropoutRate;
    private readonly Generator _generator;
    private readonly Scalar _dropoutThreshold;
    private readonly Scalar _keepProbability;

    public DenseNetworkModule(int inputSize, IReadOnlyList<int> hiddenSizes, int outputSize, Activation activation, double dropoutRate, Generator generator,
        NormalizationKind normalization = NormalizationKind.None, KernelInitializer initializer = KernelInitializer.GlorotUniform)
        : base(nameof(DenseNetworkModule))
    {
        _activation = activation;
        _dropoutRate = dropoutRate;
        _generator = generator;
        Normalization = normalization;
        // created once: TorchSharp frees implicitly converted Scalars only in finalizers (see KerasRmsProp)
        _dropoutThreshold = dropoutRate.ToScalar();
        _keepProbability = (1.0 - dropoutRate).ToScalar();
        layers = new ModuleList<Linear>();
        normalizations = new ModuleList<NormalizationModule>();
        int fanIn = inputSize;
        foreach (var size in hiddenSizes.Append(outputSize))
        {
            var layer = nn.Linear(fanIn, size);
            using (no_grad())
            {
                KernelInitialization.Fill(layer.weight!, initializer, fanIn, size, generator);
                nn.init.zeros_(layer.bias!);
            }
            layers.Add(layer);
            fanIn = size;
        }
        if (normalization != NormalizationKind.None)
        {
            foreach (var size in hiddenSizes)
                normalizations.Add(new NormalizationModule(normalization, size));
        }
        RegisterComponents();
    }

    /// <summary>Rebuilds a module holding a trained model's weights and normalization (for checks against libtorch's own forward pass).</summary>
    internal static DenseNetworkModule FromModel(DenseNetworkModel model, double dropoutRate, Generator generator)
    {
        var module = new DenseNetworkModule(model.InputSize, model.HiddenLayerSizes, model.OutputSize, model.Activation, dropoutRate, generator, model.Normalization);
        module.LoadLayers(model.Layers);
        return module;
    }

    /// <summary>The normalization after each hidden layer.</summary>
    public NormalizationKind Normalization { get; }

    /// <summary>Copies trained layers into this module (a warm start): every parameter and buffer a <see cref="DenseLayer"/> stores.</summary>
    public void Load(IReadOnlyList<DenseLayer> trained) => LoadLayers(trained);

    /// <summary>The Linear layers, input side first; the last one is the output layer.</summary>
    public IReadOnlyList<Linear> Layers => layers.ToArray();

    /// <summary>The normalization modules, one per hidden layer (empty without normalization).</summary>
    public IReadOnlyList<NormalizationModule> Normalizations => normalizations.ToArray();

    /// <summary>The kernels (weight matrices) the L1/L2 penalties apply to.</summary>
    public IEnumerable<Parameter> Kernels => layers.Select(l => l.weight!);

    /// <summary>
    /// Copies a trained network's layers into this module: kernels, biases and, when normalized, gamma, beta, the
    /// moving mean and variance and epsilon (for warm starts and for rebuilding a module from a saved model).
    /// </summary>
    /// <exception cref="ArgumentException">The layers' sizes or normalization differ from this module's.</exception>
    public void LoadLayers(IReadOnlyList<DenseLayer> trained)
    {
        ArgumentNullException.ThrowIfNull(trained);
        if (trained.Count != layers.Count)
            throw new ArgumentException($"The network has {trained.Count} layers; this one has {layers.Count}.", nameof(trained));
        for (int i = 0; i < trained.Count; i++)
        {
            var t = trained[i];
            var target = layers[i];
            if (t.InputSize != target.weight!.shape[1] || t.OutputSize != target.weight.shape[0])
                throw new ArgumentException($"Layer {i} is {t.InputSize} → {t.OutputSize}; this network's is {target.weight.shape[1]} → {target.weight.shape[0]}.", nameof(trained));
            var expected = i < trained.Count - 1 ? Normalization : NormalizationKind.None;
            var kind = t.Normalization?.Kind ?? NormalizationKind.None;
            if (kind != expected)
                throw new ArgumentException($"Layer {i} has normalization {kind}; this network's has {expected}.", nameof(trained));
        }
        using var noGrad = no_grad();
        for (int i = 0; i < trained.Count; i++)
        {
            var t = trained[i];
            Copy(layers[i].weight!, t.WeightsArray);
            Copy(layers[i].bias!, t.BiasArray);
            if (t.Normalization is not { } n)
                continue;
            var target = normalizations[i];
            Copy(target.Gamma, n.GammaArray);
            Copy(target.Beta, n.BetaArray);
            if (target.MovingMean is not null)
            {
                Copy(target.MovingMean, n.MovingMeanArray);
                Copy(target.MovingVariance!, n.MovingVarianceArray);
            }
            target.Epsilon = n.Epsilon;
        }
    }

    public override Tensor forward(Tensor input) => AfterFirstLayer(layers[0].forward(input));

    /// <summary>The network's outputs for a dense or sparse batch (a sparse one goes through <see cref="SparseFirstLayer"/>).</summary>
    public Tensor Forward(FeatureBatch batch) =>
        batch.Dense is { } dense ? forward(dense) : AfterFirstLayer(SparseFirstLayer.Forward(layers[0], batch));

    /// <summary>The rest of the network, from the first Linear layer's output.</summary>
    private Tensor AfterFirstLayer(Tensor first)
    {
        var x = first;
        for (int i = 0; i < layers.Count; i++)
        {
            if (i > 0)
                x = layers[i].forward(x);
            if (i == layers.Count - 1)
                break;
            if (normalizations.Count > 0)
                x = normalizations[i].forward(x);
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

    private static void Copy(Tensor target, float[] values)
    {
        using var source = tensor(values, target.shape);
        target.copy_(source);
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
