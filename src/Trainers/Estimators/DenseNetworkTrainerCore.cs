using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Common;
using MlNetDeep.Native;
using MlNetDeep.Training;

namespace MlNetDeep;

/// <summary>
/// What the three dense-network trainers share: option checks, reading the data once (or streaming it), the validation split,
/// training, and turning the trained network into its scoring chain.
/// </summary>
internal sealed partial class DenseNetworkTrainerCore
{
    private const string ValidationSource = nameof(DenseNetworkOptions.ValidationData);

    private readonly NetworkTask _task;
    private readonly DenseNetworkOptions _options;
    private readonly MLContext _ml;

    public DenseNetworkTrainerCore(NetworkTask task, DenseNetworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _task = task;
        // validate an unaltered copy (the caller's values, safe from later changes), then fill in defaults; the
        // caller's object is never written to
        _options = options.Clone();
        _options.Validate();
        _options.HiddenLayerSizes = _options.EffectiveHiddenLayerSizes;
        var errors = new OptionErrors();
        errors.Check(task != NetworkTask.Regression || _options.EarlyStopping?.Monitor is not ("accuracy" or "val_accuracy"),
            "EarlyStopping.Monitor", "\"loss\" or \"val_loss\" for regression (there is no accuracy)", _options.EarlyStopping?.Monitor);
        errors.Check(task != NetworkTask.Regression || _options.ClassWeights is null,
            nameof(DenseNetworkOptions.ClassWeights), "null for regression (class weights need classes; use ExampleWeightColumnName to weight rows)", "set");
        errors.ThrowIfAny(nameof(DenseNetworkOptions), "options");
        // An extension method cannot reach the caller's MLContext: the sub-estimators of the scoring chain (state
        // lookups, heads, Expression) get their own context; none of them draws random numbers.
        _ml = new MLContext(_options.Seed);
    }

    public DenseNetworkOptions Options => _options;

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ColumnChecks.Check(inputSchema, _task, _options.FeatureColumnName, _options.LabelColumnName, _options.ExampleWeightColumnName);
        CheckValidationSchema();
        var labels = _task == NetworkTask.Multiclass ? ClassLabels.Placeholder(inputSchema.First(c => c.Name == _options.LabelColumnName)) : null;
        var placeholder = ScoringChain.Placeholder(_task, _options.FeatureColumnName, labels?.Count ?? 0);
        return ScoringChain.Create(_ml, placeholder, labels).GetOutputSchema(inputSchema);
    }

    /// <summary>Trains a new network, or continues <paramref name="initialModel"/> when it is given.</summary>
    public DenseNetworkTransformer Fit(IDataView input, DenseNetworkModel? initialModel = null)
    {
        var o = _options;
        var (train, validation, labels, outputs) = Prepare(input, initialModel);
        using var trainRows = train;
        using var validationRows = validation;

        (DenseNetworkModel Model, TransformerChain<ITransformer> Chain) Build(IReadOnlyList<DenseLayer> layers, TrainingHistory history)
        {
            var network = new DenseNetworkModel(_task, layers, o.Activation, labels?.Names, history);
            return (network, ComposedTransformer.FitChain(ScoringChain.Create(_ml, network.ToDefinition(o.FeatureColumnName), labels), input));
        }

        void SaveCheckpoint(IReadOnlyList<DenseLayer> layers, TrainingHistory history, string path)
        {
            var full = Path.GetFullPath(path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            var partial = full + ".partial";
            _ml.Model.Save(Build(layers, history).Chain, input.Schema, partial);
            File.Move(partial, full, overwrite: true); // a crash while writing leaves the previous checkpoint whole
        }

        var (trained, trainingHistory) = TrainingLoop.Run(_task, outputs, train, validation, o, initialModel, SaveCheckpoint);
        if (trainingHistory.Stop == StopKind.Cancelled)
        {
            var partial = trainingHistory.Count > 0 || initialModel is not null ? new DenseNetworkModel(_task, trained, o.Activation, labels?.Names, trainingHistory) : null;
            throw new TrainingCancelledException(trainingHistory, partial, o.CancellationToken);
        }
        var (model, chain) = Build(trained, trainingHistory);
        return new DenseNetworkTransformer(chain, model, o.FeatureColumnName, o.LabelColumnName) { TrainedOnSparseRows = train is TensorSet { Sparse: not null } };
    }

    /// <summary>
    /// Checks the schema, reads the rows once (or streams them: <see cref="StreamingRule"/>), splits off the
    /// validation rows and applies class weights. The caller disposes the sources.
    /// </summary>
    private (IRowSource Train, IRowSource? Validation, ClassLabels? Labels, int Outputs) Prepare(IDataView input, DenseNetworkModel? initialModel = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = _options;
        ColumnChecks.Check(input.Schema, _task, o.FeatureColumnName, o.LabelColumnName, o.ExampleWeightColumnName);
        CheckValidationSchema(); // before reading any row: a bad ValidationData fails fast, naming itself
        var labels = _task == NetworkTask.Multiclass ? ClassLabels.FromColumn(input.Schema[o.LabelColumnName]) : null;
        int outputs = labels?.Count ?? 1;
        if (initialModel is not null)
            WarmStart.Check(initialModel, _task, o, ((VectorDataViewType)input.Schema[o.FeatureColumnName].Type).Size, labels?.Names);

        int dimension = ((VectorDataViewType)input.Schema[o.FeatureColumnName].Type).Size;
        if (ReadOrStream(input, dimension) is not { } all)
            return PrepareStreamed(input, dimension, labels, outputs);
        TrainingSet train = all;
        TrainingSet? validation = null;
        if (o.ValidationData is not null)
        {
            validation = TrainingSet.Read(o.ValidationData, _task, o.FeatureColumnName, o.LabelColumnName, o.ExampleWeightColumnName, ValidationSource, o.CancellationToken, o.FeatureLayout);
            CheckValidationColumns(validation.Dimension, dimension, outputs);
        }
        else if (o.ValidationFraction > 0)
        {
            int trainRows = (int)TrainingRowsBeforeValidation(all.Rows);
            train = all.Slice(0, trainRows);
            validation = all.Slice(trainRows, all.Rows - trainRows);
        }

        if (o.ClassWeights is not null)
        {
            int classes = ClassCount(outputs);
            train = train.WithClassWeights(o.ClassWeights.Resolve(classes, ClassValues(labels, classes), train.Labels.AsSpan(train.Start, train.Rows)));
        }
        LibTorchRuntime.EnsureLoaded(); // the tensors wrap the arrays
        return (new TensorSet(train, _task), validation is null ? null : new TensorSet(validation, _task), labels, outputs);
    }

    /// <summary>
    /// Keras' validation_split, in memory or streamed: of <paramref name="rows"/> in the view's order (before any
    /// shuffling), the rows before the last ValidationFraction train; throws when either side would be empty.
    /// </summary>
    private long TrainingRowsBeforeValidation(long rows)
    {
        double fraction = _options.ValidationFraction;
        long trainRows = (long)Math.Floor(rows * (1 - fraction));
        if (trainRows == 0 || trainRows == rows)
            throw new ArgumentException($"ValidationFraction={fraction} of {rows} rows leaves {trainRows} training and {rows - trainRows} validation rows; both need at least one.");
        return trainRows;
    }

    /// <summary>The classes class weights are resolved for: the multiclass outputs, or 2 (binary).</summary>
    private int ClassCount(int outputs) => _task == NetworkTask.Multiclass ? outputs : 2;

    /// <summary>The label values class weights are keyed by (multiclass labels without KeyValues are known by their key numbers 1..K); null for binary.</summary>
    private static IReadOnlyList<object>? ClassValues(ClassLabels? labels, int classes) =>
        labels is null ? null : labels.Values ?? Enumerable.Range(1, classes).Select(k => (object)(uint)k).ToArray();

    /// <summary>Checks that the validation rows have the training rows' width and, for multiclass, their number of classes.</summary>
    private void CheckValidationColumns(int validationDimension, int dimension, int outputs)
    {
        var o = _options;
        if (validationDimension != dimension)
            throw SchemaErrors.WrongType("feature", o.FeatureColumnName, $"Vector<Single, {dimension}> (the training data's size)", $"Vector<Single, {validationDimension}>", paramName: null, prefix: $"{ValidationSource}: ");
        if (_task == NetworkTask.Multiclass && ((KeyDataViewType)o.ValidationData!.Schema[o.LabelColumnName].Type).Count != (ulong)outputs)
            throw new ArgumentException($"{ValidationSource}: " + SchemaErrors.WrongTypeMessage("label", o.LabelColumnName,
                $"a key type with {outputs} classes (as in the training data)", SchemaChecks.Describe(o.ValidationData.Schema[o.LabelColumnName].Type))
                + " Map both with the same MapValueToKey transformer.");
    }

    /// <summary>The learning-rate range test on the rows <see cref="Fit"/> would train on (validation rows excluded).</summary>
    public LearningRateFinderResult FindLearningRate(IDataView input, LearningRateFinderOptions finder)
    {
        ArgumentNullException.ThrowIfNull(finder);
        finder.Validate();
        var (train, validation, _, outputs) = Prepare(input);
        using var trainRows = train;
        using var validationRows = validation;
        return LearningRateFinder.Run(_task, outputs, train, _options, finder);
    }

    /// <summary>Checks the schema of <see cref="DenseNetworkOptions.ValidationData"/>; every message starts with "ValidationData: ".</summary>
    private void CheckValidationSchema()
    {
        if (_options.ValidationData is { } validation)
            ColumnChecks.Check(validation.Schema, _task, _options.FeatureColumnName, _options.LabelColumnName, _options.ExampleWeightColumnName, source: ValidationSource);
    }
}
