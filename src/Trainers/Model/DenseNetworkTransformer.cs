using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Common;
using MlNetDeep.Network;

namespace MlNetDeep;

/// <summary>
/// A trained dense network as an ML.NET transformer. It scores through a chain of ML.NET's own managed transformers
/// (a ValueMapping holding the stored network and CustomMapping heads running the forward pass), so
/// <c>mlContext.Model.Save</c> writes a model that loads anywhere as a plain <see cref="TransformerChain{T}"/>,
/// with MlNetDeep.Core and ML.NET only: no libtorch, no ONNX Runtime, nothing to dispose, no temporary files.
/// It also exposes the training history and, for permutation feature importance,
/// <see cref="ISingleFeaturePredictionTransformer{TModel}"/>.
/// </summary>
public sealed class DenseNetworkTransformer : ComposedTransformer, ISingleFeaturePredictionTransformer<DenseNetworkModel>, ITrainingHistoryProvider
{
    private ScoringNetwork? _scorer;

    internal DenseNetworkTransformer(TransformerChain<ITransformer> inner, DenseNetworkModel model, string featureColumnName, string labelColumnName)
        : base(inner)
    {
        Model = model;
        History = model.History ?? new TrainingHistory();
        FeatureColumnName = featureColumnName;
        LabelColumnName = labelColumnName;
        FeatureColumnType = new VectorDataViewType(NumberDataViewType.Single, model.InputSize);
    }

    /// <summary>Whether Fit held the training rows sparse (<see cref="FeatureLayout"/>); false for a loaded model.</summary>
    internal bool TrainedOnSparseRows { get; init; }

    /// <summary>The trained network (architecture and weights).</summary>
    public DenseNetworkModel Model { get; }

    /// <summary>Per-epoch loss, accuracy and their validation counterparts, and how training ended.</summary>
    public TrainingHistory History { get; }

    /// <summary>The epoch with the best monitored value (validation loss when there was validation data); null if none.</summary>
    public int? BestEpoch => History.BestEpoch;

    /// <summary>True when early stopping ended training before the configured number of epochs.</summary>
    public bool StoppedEarly => History.StoppedEarly;

    /// <summary>The feature column the network reads.</summary>
    public string FeatureColumnName { get; }

    /// <summary>The label column the network was trained on.</summary>
    public string LabelColumnName { get; }

    /// <summary>The feature column's type: a vector of Single of the network's input size.</summary>
    public DataViewType FeatureColumnType { get; }

    /// <summary>Writes the network alone as ONNX, for use outside ML.NET (see <see cref="DenseNetworkModel.ExportOnnx(Stream)"/>).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    public void ExportOnnx(Stream stream) => Model.ExportOnnx(stream);

    /// <summary>
    /// Scores <paramref name="input"/>; checks the feature column first so a wrong size gets a clear message. A
    /// sequential cursor scores its rows in blocks (one matrix product per block of rows, the rows grouped by their
    /// zeros, the block shared with a thread-pool helper on a machine with more than one core when that measured
    /// faster) with the bits the chain gives each row; a saved and loaded model scores row by row.
    /// </summary>
    /// <exception cref="ArgumentException">The feature column is missing, not a Single vector, or of another size.</exception>
    public override IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckFeatures(input.Schema);
        return BlockScoringView.Create(base.Transform(input), Scorer, FeatureColumnName);
    }

    /// <summary>The network packed for block scoring (the chain's heads parse their own copy from the stored text).</summary>
    private ScoringNetwork Scorer => _scorer ??= new ScoringNetwork(Model.ToDefinition(FeatureColumnName));

    private void CheckFeatures(DataViewSchema schema)
    {
        var column = schema.GetColumnOrNull(FeatureColumnName);
        if (column is null)
            throw SchemaErrors.Missing("feature", FeatureColumnName, schema, paramName: null);
        if (column.Value.Type is not VectorDataViewType { ItemType: var item } vector || item != NumberDataViewType.Single || vector.Size != Model.InputSize)
            throw SchemaErrors.WrongType("feature", FeatureColumnName, $"Vector<Single, {Model.InputSize}> (the size the network was trained on)", column.Value.Type, paramName: null);
    }
}
