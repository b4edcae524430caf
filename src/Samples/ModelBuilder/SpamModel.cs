using Microsoft.ML;

namespace MlNetDeep.Samples.ModelBuilder;

/// <summary>
/// A Model Builder-style script for the spam classifier: <see cref="BuildPipeline"/>, <see cref="Train"/>,
/// <see cref="Save"/>, and a static <see cref="Predict"/> that loads the saved zip once and reuses one engine.
/// The consuming side (<see cref="Predict"/>) needs only ML.NET and MlNetDeep.Core/Transforms at run time.
/// </summary>
public static class SpamModel
{
    /// <summary>Where <see cref="Predict"/> loads the model from; set it before the first prediction.</summary>
    public static string ModelPath { get; set; } = Path.Combine(AppContext.BaseDirectory, "SpamModel.zip");

    private static readonly Lazy<PredictionEngine<SpamModelInput, SpamModelOutput>> Engine = new(CreateEngine, isThreadSafe: true);

    /// <summary>Bag-of-words (top 10,000 words, multi-hot) → dense network 16-16 → sigmoid, as the lecture's IMDB model.</summary>
    public static IEstimator<ITransformer> BuildPipeline(MLContext mlContext, int epochs = 20, int? seed = 1, IProgress<EpochMetrics>? progress = null) =>
        mlContext.Transforms.Text.VectorizeBagOfWords("Features", nameof(SpamModelInput.Text), maximumVocabularySize: 10000)
            .Append(mlContext.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions
            {
                LabelColumnName = nameof(SpamModelInput.Label),
                HiddenLayerSizes = new[] { 16, 16 },
                Epochs = epochs,
                BatchSize = 512,
                Seed = seed,
                Progress = progress,
            }));

    /// <summary>Fits the pipeline.</summary>
    public static ITransformer Train(MLContext mlContext, IDataView trainData, int epochs = 20, int? seed = 1, IProgress<EpochMetrics>? progress = null) =>
        BuildPipeline(mlContext, epochs, seed, progress).Fit(trainData);

    /// <summary>Saves the model with its input schema.</summary>
    public static void Save(MLContext mlContext, ITransformer model, DataViewSchema inputSchema, string path) =>
        mlContext.Model.Save(model, inputSchema, path);

    /// <summary>Predicts one mail with the model saved at <see cref="ModelPath"/> (loaded on first use).</summary>
    public static SpamModelOutput Predict(SpamModelInput input) => Engine.Value.Predict(input);

    private static PredictionEngine<SpamModelInput, SpamModelOutput> CreateEngine()
    {
        var mlContext = new MLContext();
        var model = mlContext.Model.Load(ModelPath, out _);
        return mlContext.Model.CreatePredictionEngine<SpamModelInput, SpamModelOutput>(model);
    }
}
