using Microsoft.ML;
using MlNetDeep.Training;

namespace MlNetDeep;

/// <summary>
/// Trains a dense neural network (TorchSharp) for binary classification: the label a Boolean; the features a known-size
/// vector of Single. Output columns: Score (logit), Probability (sigmoid) and PredictedLabel (Boolean), as ML.NET's binary trainers. Create it with
/// <c>mlContext.BinaryClassification.Trainers.DenseNetwork(...)</c>.
/// </summary>
public sealed class DenseNetworkBinaryTrainer : IEstimator<DenseNetworkTransformer>
{
    private readonly DenseNetworkTrainerCore _core;

    /// <summary>Creates the trainer; the options are copied and validated.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">One or more options are invalid; the message lists every one.</exception>
    public DenseNetworkBinaryTrainer(DenseNetworkOptions options) => _core = new DenseNetworkTrainerCore(NetworkTask.Binary, options);

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

    /// <summary>
    /// Continues training <paramref name="initialModel"/> on <paramref name="trainData"/> for
    /// <see cref="DenseNetworkOptions.Epochs"/> more epochs (ML.NET's retraining overload; Keras'
    /// <c>fit(initial_epoch=…)</c>). The plain <see cref="Fit(IDataView)"/> always starts from new random weights,
    /// however often it is called: training continues only through this overload.
    /// </summary>
    /// <remarks>
    /// <para>
    /// <b>Epochs and history.</b> Epoch numbers continue from the last epoch of <c>initialModel.History</c> (Keras'
    /// <c>initial_epoch</c>): a model trained 10 epochs and continued with <c>Epochs = 5</c> records epochs 11–15. The
    /// returned <c>History</c> holds the initial model's epochs followed by the new ones, so that
    /// <see cref="DenseNetworkModel.History"/>, a saved zip, plots and checkpoints show the whole record of how the
    /// weights came about (Keras' History of a second <c>fit</c> holds only the new epochs: take
    /// <c>History.Where(e =&gt; e.Epoch &gt; n)</c> for those). <c>BestEpoch</c>, <c>Stop</c>, <c>StopReason</c> (which
    /// ends with the epoch it continued from), <c>RestoredBestWeights</c> and <c>Seed</c> describe this Fit: early
    /// stopping, restore-best-weights and the callbacks start afresh, as Keras' callbacks do at every <c>fit</c>, and
    /// only new epochs can be the best or be restored (an earlier validation loss may have been measured on other rows).
    /// </para>
    /// <para>
    /// <b>What restarts.</b> The optimizer state: RMSprop's and Adam's moving averages and SGD's momentum begin at zero,
    /// as with a new Keras optimizer, at <see cref="DenseNetworkOptions.LearningRate"/> (set it to
    /// <c>History[^1].LearningRate</c> to go on from a decayed rate). The seed starts its sequence of permutations and
    /// dropout masks anew (the same seed repeats the first Fit's). Measured (seed 1, 800 training and 200 validation
    /// rows, Dense 64, batch 32, one thread): RMSprop lr 0.003 trained 5 epochs and continued 5 more ends at a training
    /// loss of 0.1660 (validation 0.1626) against 0.1724 (0.1684) for 10 epochs in one Fit, 0.006 lower because the
    /// restarted moving average makes the first steps larger; with shuffling off, so that only the optimizer state
    /// differs, 0.1492 against 0.1550. Adam: 0.1742 against 0.1766; SGD with momentum 0.9: 0.0902 against 0.0910. The
    /// first continued epoch's loss (RMSprop: 0.2570) is near the first Fit's last (0.2999), far from its first (0.5660).
    /// On the embedded Fashion-MNIST subset (3,200 + 800 images, Dense 512, RMSprop lr 0.001, batch 128, seed 42) the
    /// restart costs a bump: epoch 6 has a training loss of 0.554 against 0.500 in one Fit (epoch 5 ended at 0.533,
    /// epoch 1 was 1.221); epoch 10 ends at 0.395 against 0.416 (shuffling off: 0.371 against 0.366), while that
    /// model's validation loss swings by about 0.1 from epoch to epoch either way.
    /// </para>
    /// <para>
    /// <b>Compatibility.</b> The options describe the network Fit returns, so <c>initialModel</c> must have the same
    /// task, the same <see cref="DenseNetworkOptions.HiddenLayerSizes"/> and <see cref="DenseNetworkOptions.Activation"/>
    /// (they are not taken from the model: a mismatch is an error that names the values to set), as many inputs as the
    /// feature column has slots, and for multiclass the same classes in the same key order. Everything else — rate,
    /// optimizer, dropout, penalties, batch size, validation, callbacks, clipping, class weights — may change. The
    /// initial model is not modified.
    /// </para>
    /// <para>
    /// <b>Where the model comes from.</b> A fitted transformer's <c>Model</c>, <see cref="DenseNetworkModel.FromTransformer"/>
    /// of a pipeline or of a zip loaded with <c>mlContext.Model.Load</c>, or <see cref="TrainingCancelledException.Model"/>.
    /// In a pipeline, transform the data with the fitted preprocessing and append the continued network:
    /// <c>var prep = model.Take(n); var more = trainer.Fit(prep.Transform(data), DenseNetworkModel.FromTransformer(model));</c>
    /// then <c>prep.Append(more)</c> is the continued pipeline.
    /// </para>
    /// </remarks>
    /// <param name="trainData">The training rows, with the columns of the first training.</param>
    /// <param name="initialModel">The network to continue.</param>
    /// <returns>The continued network; its history starts with the initial model's epochs.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="trainData"/> or <paramref name="initialModel"/> is null.</exception>
    /// <exception cref="ArgumentException">The initial model cannot be continued by this trainer (the message lists every reason: task, input width, classes, hidden layers, activation); or wrong column types, no rows, NaN/Infinity in features or labels.</exception>
    /// <exception cref="TrainingCancelledException">The options' cancellation token was cancelled during training; the exception holds the history and the model of the last completed epoch (the initial model's weights if none).</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token was cancelled while the rows were read.</exception>
    /// <exception cref="InvalidOperationException">libtorch could not be loaded (the message names the fix).</exception>
    public DenseNetworkTransformer Fit(IDataView trainData, DenseNetworkModel initialModel)
    {
        ArgumentNullException.ThrowIfNull(initialModel);
        return _core.Fit(trainData, initialModel);
    }
}
