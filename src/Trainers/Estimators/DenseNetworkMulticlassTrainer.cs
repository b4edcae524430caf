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

    /// <inheritdoc cref="DenseNetworkBinaryTrainer.Fit(IDataView, DenseNetworkModel)"/>
    public DenseNetworkTransformer Fit(IDataView trainData, DenseNetworkModel initialModel)
    {
        ArgumentNullException.ThrowIfNull(initialModel);
        return _core.Fit(trainData, initialModel);
    }
}
