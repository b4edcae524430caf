using Microsoft.ML;
using MlNetDeep.Training;

namespace MlNetDeep;

/// <summary>
/// Trains a dense neural network (TorchSharp) for regression: the label a Single; the features a known-size
/// vector of Single. Output columns: Score (the prediction). Create it with
/// <c>mlContext.Regression.Trainers.DenseNetwork(...)</c>.
/// </summary>
public sealed class DenseNetworkRegressionTrainer : IEstimator<DenseNetworkTransformer>
{
    private readonly DenseNetworkTrainerCore _core;

    /// <summary>Creates the trainer; the options are copied and validated.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">One or more options are invalid; the message lists every one.</exception>
    public DenseNetworkRegressionTrainer(DenseNetworkOptions options) => _core = new DenseNetworkTrainerCore(NetworkTask.Regression, options);

    /// <summary>A copy of the options this trainer uses.</summary>
    public DenseNetworkOptions Options => _core.Options.Clone();

    /// <summary>Checks the input columns and returns the output schema, before any training.</summary>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type; the message names it, the expected and the actual type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => _core.GetOutputSchema(inputSchema);

    /// <summary>Reads the data once, trains the network and returns the scoring transformer.</summary>
    /// <exception cref="ArgumentException">Wrong column types, no rows, NaN/Infinity in features or labels.</exception>
    /// <exception cref="TrainingCancelledException">The options' cancellation token was cancelled during training; the exception holds the history and the model of the last completed epoch.</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token was cancelled while the rows were read.</exception>
    /// <exception cref="InvalidOperationException">libtorch could not be loaded (the message names the fix).</exception>
    public DenseNetworkTransformer Fit(IDataView input) => _core.Fit(input);

    /// <inheritdoc cref="DenseNetworkBinaryTrainer.Fit(IDataView, DenseNetworkModel)"/>
    public DenseNetworkTransformer Fit(IDataView trainData, DenseNetworkModel initialModel)
    {
        ArgumentNullException.ThrowIfNull(initialModel);
        return _core.Fit(trainData, initialModel);
    }
}
