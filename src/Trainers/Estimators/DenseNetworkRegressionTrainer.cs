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

    /// <summary>
    /// The learning-rate range test (Smith 2017; fastai's <c>lr_find</c>) with the default range: 100 mini-batch steps
    /// of a fresh network of these options, the rate rising exponentially from 1e-7 to 10, stopping once the smoothed
    /// loss exceeds 4× its best; the suggestion is where the smoothed loss falls fastest. Uses the training rows Fit would (validation rows excluded); deterministic with
    /// <see cref="DenseNetworkOptions.Seed"/>; trains nothing that outlives the call.
    /// </summary>
    /// <returns>Each step's rate and loss, and <see cref="LearningRateFinderResult.SuggestedLearningRate"/> to set as <see cref="DenseNetworkOptions.LearningRate"/>.</returns>
    /// <exception cref="ArgumentException">Wrong column types, no rows, NaN/Infinity in features or labels.</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token was cancelled.</exception>
    public LearningRateFinderResult FindLearningRate(IDataView trainData) => _core.FindLearningRate(trainData, new LearningRateFinderOptions());

    /// <summary>The learning-rate range test over the range and steps of <paramref name="options"/>; see <see cref="FindLearningRate(IDataView)"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid (the message lists every one), wrong column types, no rows, NaN/Infinity in features or labels.</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token was cancelled.</exception>
    public LearningRateFinderResult FindLearningRate(IDataView trainData, LearningRateFinderOptions options) => _core.FindLearningRate(trainData, options);

    /// <inheritdoc cref="DenseNetworkBinaryTrainer.Fit(IDataView, DenseNetworkModel)"/>
    public DenseNetworkTransformer Fit(IDataView trainData, DenseNetworkModel initialModel)
    {
        ArgumentNullException.ThrowIfNull(initialModel);
        return _core.Fit(trainData, initialModel);
    }
}
