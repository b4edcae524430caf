namespace MlNetDeep.Cli.FanOut;

/// <summary>
/// The DenseNetwork options a plan carries, as plain JSON values (the data-bound ones — validation data, callbacks,
/// progress, cancellation — cannot travel to another machine and are not here). Defaults are DenseNetworkOptions'.
/// </summary>
internal sealed record TrainerSettings
{
    public int[] HiddenLayerSizes { get; init; } = new DenseNetworkOptions().HiddenLayerSizes!.ToArray();

    public Activation Activation { get; init; } = Activation.Relu;

    public NormalizationKind Normalization { get; init; } = NormalizationKind.None;

    public KernelInitializer KernelInitializer { get; init; } = KernelInitializer.GlorotUniform;

    public double DropoutRate { get; init; }

    public double L1Regularization { get; init; }

    public double L2Regularization { get; init; }

    public OptimizerKind Optimizer { get; init; } = OptimizerKind.RmsProp;

    public double LearningRate { get; init; } = new DenseNetworkOptions().LearningRate;

    public int BatchSize { get; init; } = new DenseNetworkOptions().BatchSize;

    public int Epochs { get; init; } = new DenseNetworkOptions().Epochs;

    public double ValidationFraction { get; init; }

    /// <summary>Keras' EarlyStopping(monitor="val_loss", patience, restore_best_weights=True); null trains every epoch.</summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>The networks' seed: every fold's network starts from it, as in a local run of the same estimator.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>libtorch threads per fold; a Slurm task asks for this many CPUs.</summary>
    public int NumberOfThreads { get; init; } = 1;

    /// <summary>The trainer options these settings stand for.</summary>
    public DenseNetworkOptions ToOptions() => new()
    {
        HiddenLayerSizes = HiddenLayerSizes,
        Activation = Activation,
        Normalization = Normalization,
        KernelInitializer = KernelInitializer,
        DropoutRate = DropoutRate,
        L1Regularization = L1Regularization,
        L2Regularization = L2Regularization,
        Optimizer = Optimizer,
        LearningRate = LearningRate,
        BatchSize = BatchSize,
        Epochs = Epochs,
        ValidationFraction = ValidationFraction,
        EarlyStopping = EarlyStoppingPatience is int patience ? new EarlyStoppingOptions { Patience = patience, RestoreBestWeights = true } : null,
        Seed = Seed,
        NumberOfThreads = NumberOfThreads,
    };
}
