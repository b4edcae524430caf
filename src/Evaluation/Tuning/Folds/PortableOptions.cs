namespace MlNetDeep;

/// <summary>
/// A trial's <see cref="DenseNetworkOptions"/> as plain values, for a worker in another process or on another machine
/// (JSON). Everything that decides what a fold's network learns travels; the data-bound members — validation data
/// (each fold supplies its own), callbacks, progress, the cancellation token — cannot, and options that set them are
/// refused, as are class weights given per label value (only <see cref="ClassWeights.Balanced"/> travels).
/// </summary>
internal sealed record PortableOptions
{
    public required string LabelColumnName { get; init; }
    public required string FeatureColumnName { get; init; }
    public string? ExampleWeightColumnName { get; init; }
    public int[]? HiddenLayerSizes { get; init; }
    public Activation Activation { get; init; }
    public NormalizationKind Normalization { get; init; }
    public KernelInitializer KernelInitializer { get; init; }
    public double DropoutRate { get; init; }
    public double L1Regularization { get; init; }
    public double L2Regularization { get; init; }
    public OptimizerKind Optimizer { get; init; }
    public double LearningRate { get; init; }
    public double? GradientClipNorm { get; init; }
    public double? GradientClipValue { get; init; }
    public double Momentum { get; init; }
    public double WeightDecay { get; init; }
    public RegressionLoss RegressionLoss { get; init; }
    public FeatureLayout FeatureLayout { get; init; }
    public int BatchSize { get; init; }
    public int Epochs { get; init; }
    public bool Shuffle { get; init; }
    public StreamingMode Streaming { get; init; }
    public int ShuffleBufferSize { get; init; }
    public long? MemoryBudget { get; init; }
    public double ValidationFraction { get; init; }
    public EarlyStoppingOptions? EarlyStopping { get; init; }
    public bool BalancedClassWeights { get; init; }
    public int? Seed { get; init; }
    public int? NumberOfThreads { get; init; }

    /// <summary>The options as plain values.</summary>
    /// <exception cref="ArgumentException">The options hold validation data, callbacks, a progress receiver or class weights per label value, which cannot travel to a worker.</exception>
    public static PortableOptions From(DenseNetworkOptions o)
    {
        var problems = new List<string>();
        if (o.ValidationData is not null)
            problems.Add("ValidationData is set (each fold supplies its own validation rows)");
        if (o.Callbacks is { Count: > 0 })
            problems.Add("Callbacks are set");
        if (o.Progress is not null)
            problems.Add("Progress is set");
        if (o.ClassWeights is { IsBalanced: false })
            problems.Add("ClassWeights are given per label value (only ClassWeights.Balanced travels)");
        if (problems.Count > 0)
            throw new ArgumentException("These DenseNetworkOptions cannot be sent to a worker process: " + string.Join("; ", problems) + ".", nameof(o));
        return new PortableOptions
        {
            LabelColumnName = o.LabelColumnName,
            FeatureColumnName = o.FeatureColumnName,
            ExampleWeightColumnName = o.ExampleWeightColumnName,
            HiddenLayerSizes = (int[]?)o.HiddenLayerSizes?.Clone(),
            Activation = o.Activation,
            Normalization = o.Normalization,
            KernelInitializer = o.KernelInitializer,
            DropoutRate = o.DropoutRate,
            L1Regularization = o.L1Regularization,
            L2Regularization = o.L2Regularization,
            Optimizer = o.Optimizer,
            LearningRate = o.LearningRate,
            GradientClipNorm = o.GradientClipNorm,
            GradientClipValue = o.GradientClipValue,
            Momentum = o.Momentum,
            WeightDecay = o.WeightDecay,
            RegressionLoss = o.RegressionLoss,
            FeatureLayout = o.FeatureLayout,
            BatchSize = o.BatchSize,
            Epochs = o.Epochs,
            Shuffle = o.Shuffle,
            Streaming = o.Streaming,
            ShuffleBufferSize = o.ShuffleBufferSize,
            MemoryBudget = o.MemoryBudget,
            ValidationFraction = o.ValidationFraction,
            EarlyStopping = o.EarlyStopping?.Clone(),
            BalancedClassWeights = o.ClassWeights is { IsBalanced: true },
            Seed = o.Seed,
            NumberOfThreads = o.NumberOfThreads,
        };
    }

    /// <summary>The options these values stand for (no validation data, callbacks or progress).</summary>
    public DenseNetworkOptions ToOptions() => new()
    {
        LabelColumnName = LabelColumnName,
        FeatureColumnName = FeatureColumnName,
        ExampleWeightColumnName = ExampleWeightColumnName,
        HiddenLayerSizes = (int[]?)HiddenLayerSizes?.Clone(),
        Activation = Activation,
        Normalization = Normalization,
        KernelInitializer = KernelInitializer,
        DropoutRate = DropoutRate,
        L1Regularization = L1Regularization,
        L2Regularization = L2Regularization,
        Optimizer = Optimizer,
        LearningRate = LearningRate,
        GradientClipNorm = GradientClipNorm,
        GradientClipValue = GradientClipValue,
        Momentum = Momentum,
        WeightDecay = WeightDecay,
        RegressionLoss = RegressionLoss,
        FeatureLayout = FeatureLayout,
        BatchSize = BatchSize,
        Epochs = Epochs,
        Shuffle = Shuffle,
        Streaming = Streaming,
        ShuffleBufferSize = ShuffleBufferSize,
        MemoryBudget = MemoryBudget,
        ValidationFraction = ValidationFraction,
        EarlyStopping = EarlyStopping?.Clone(),
        ClassWeights = BalancedClassWeights ? ClassWeights.Balanced : null,
        Seed = Seed,
        NumberOfThreads = NumberOfThreads,
    };
}
