using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep;

/// <summary>
/// Base of every fitted MlNetDeep component: a thin wrapper over a chain of ML.NET's own saveable transformers.
/// Transforming, schema propagation, row-to-row mapping and saving are all delegated to that chain, so a model
/// saved with <c>mlContext.Model.Save</c> loads in any process as a plain <see cref="TransformerChain{T}"/>
/// with identical output, without MlNetDeep registering anything. Every inner transformer is a managed ML.NET
/// transformer with nothing to release, so the wrapper is not <see cref="IDisposable"/>: a
/// <c>PredictionEngine</c> disposed in a <c>using</c> (which disposes the transformers it was given) leaves the
/// model working.
/// </summary>
public abstract class ComposedTransformer : ITransformer
{
    /// <summary>Creates the wrapper over <paramref name="inner"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> is null.</exception>
    protected ComposedTransformer(TransformerChain<ITransformer> inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        Inner = inner;
    }

    /// <summary>The chain of standard ML.NET transformers this component is made of; what <c>Model.Save</c> writes.</summary>
    public TransformerChain<ITransformer> Inner { get; }

    /// <inheritdoc />
    public bool IsRowToRowMapper => ((ITransformer)Inner).IsRowToRowMapper;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => Inner.GetOutputSchema(inputSchema);

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => ((ITransformer)Inner).GetRowToRowMapper(inputSchema);

    /// <inheritdoc />
    public virtual IDataView Transform(IDataView input) => Inner.Transform(input);

    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)Inner).Save(ctx);

    /// <summary>Fits a chain of standard estimators and flattens it into a transformer chain.</summary>
    internal static TransformerChain<ITransformer> FitChain(IEstimator<ITransformer> estimator, IDataView data)
    {
        var fitted = estimator.Fit(data);
        return fitted is TransformerChain<ITransformer> chain
            ? new TransformerChain<ITransformer>(chain.ToArray())
            : new TransformerChain<ITransformer>(fitted);
    }
}
