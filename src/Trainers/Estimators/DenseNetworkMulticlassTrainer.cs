using Microsoft.ML;
using MlNetDeep.Training;

namespace MlNetDeep;

/// <summary>
/// Trains a dense neural network (TorchSharp) for multiclass classification: the label a key (use MapValueToKey); the features a known-size
/// vector of Single. Output columns: Score (class probabilities, a Single vector with the class names as slot names) and PredictedLabel (a key with the label's key values). Create it with
/// <c>mlContext.MulticlassClassification.Trainers.DenseNetwork(...)</c>.
/// <para>
/// Unknown labels: in training every label must map to a class (a missing key, i.e. a value the key mapping did not
/// know, is an error that counts the rows). When scoring, the network never reads the label: every row gets one of
/// the trained classes; a label value never seen in training becomes the missing key 0 in <c>MapValueToKey</c>, and
/// ML.NET's multiclass evaluator leaves such rows out of the metrics.
/// </para>
/// </summary>
public sealed class DenseNetworkMulticlassTrainer : IEstimator<DenseNetworkTransformer>
{
    private readonly DenseNetworkTrainerCore _core;

    /// <summary>Creates the trainer; the options are copied and validated.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">One or more options are invalid; the message lists every one.</exception>
    public DenseNetworkMulticlassTrainer(DenseNetworkOptions options) => _core = new DenseNetworkTrainerCore(NetworkTask.Multiclass, options);

    /// <summary>A copy of the options this trainer uses.</summary>
    public DenseNetworkOptions Options => _core.Options.Clone();

    /// <summary>Checks the input columns and returns the output schema, before any training.</summary>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type; the message names it, the expected and the actual type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => _core.GetOutputSchema(inputSchema);

    /// <summary>Reads the data once, trains the network and returns the scoring transformer.</summary>
    /// <exception cref="ArgumentException">Wrong column types, no rows, NaN/Infinity in features or labels, missing keys.</exception>
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
