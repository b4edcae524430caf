using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Evaluation.Tests;

/// <summary>An estimator that delegates to another but throws on chosen calls to Fit (1-based), to test fold failures.</summary>
internal sealed class FailingEstimator(IEstimator<ITransformer> inner, params int[] failingCalls) : IEstimator<ITransformer>
{
    private int _calls;

    public ITransformer Fit(IDataView input)
    {
        _calls++;
        if (failingCalls.Contains(_calls))
            throw new InvalidOperationException($"scripted failure on call {_calls}");
        return inner.Fit(input);
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => inner.GetOutputSchema(inputSchema);
}

/// <summary>An identity transformer carrying a training history, standing in for an MlNetDeep network.</summary>
internal sealed class HistoryTransformer(TrainingHistory history) : ITransformer, ITrainingHistoryProvider
{
    public TrainingHistory History { get; } = history;
    public bool IsRowToRowMapper => false;
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => inputSchema;
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => throw new NotSupportedException();
    public IDataView Transform(IDataView input) => input;
    void ICanSaveModel.Save(ModelSaveContext ctx) => throw new NotSupportedException();
}

/// <summary>Fits a <see cref="HistoryTransformer"/> with a fresh three-epoch history.</summary>
internal sealed class HistoryEstimator : IEstimator<HistoryTransformer>
{
    public HistoryTransformer Fit(IDataView input) => new(new TrainingHistory(new[]
    {
        new EpochMetrics { Epoch = 1, Loss = 0.9, ValidationLoss = 1.0 },
        new EpochMetrics { Epoch = 2, Loss = 0.5, ValidationLoss = 0.7 },
        new EpochMetrics { Epoch = 3, Loss = 0.3, ValidationLoss = 0.8 },
    }));

    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => inputSchema;
}
