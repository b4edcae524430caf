using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Samples.Data;

namespace MlNetDeep.Samples.Experiments.Lab;

/// <summary>
/// What the text experiments share (SpamAssassin standing in for IMDB): a seeded 75/25 split, the top-10,000-word
/// multi-hot bag of words fitted on the training part, and the lecture's 16-16 sigmoid model with
/// batch 512 (64 on the embedded subset) and validation_split 0.4.
/// </summary>
internal sealed class TextLab
{
    private TextLab(IDataView train, IDataView test, int vocabularySize, int trainRows, int testRows)
    {
        Train = train;
        Test = test;
        VocabularySize = vocabularySize;
        TrainRows = trainRows;
        TestRows = testRows;
    }

    /// <summary>Training rows, vectorized (Features) with a Boolean Label.</summary>
    public IDataView Train { get; }

    /// <summary>Test rows, vectorized with the training vocabulary.</summary>
    public IDataView Test { get; }

    public int VocabularySize { get; }

    /// <summary>Training rows, validation part included.</summary>
    public int TrainRows { get; }

    /// <summary>Test rows.</summary>
    public int TestRows { get; }

    /// <summary>
    /// The lecture's batch of 512 on the full corpus (about 6 steps per epoch on 2,720 rows, 30 on IMDB); 64 on the
    /// embedded few hundred mails, where 512 would mean a single step per epoch and early stopping would judge noise.
    /// </summary>
    public int BatchSize => TrainRows >= 2000 ? 512 : 64;

    public static TextLab Prepare(ExperimentContext context, MLContext ml)
    {
        var split = context.Data.Text.Split(context.Seed);
        var trainRows = context.Rows(split.Train, 300);
        var train = ml.Data.LoadFromEnumerable(trainRows);
        var testRows = context.Rows(split.Test, 100);
        var test = ml.Data.LoadFromEnumerable(testRows);
        var vectorizer = ml.Transforms.Text.VectorizeBagOfWords("Features", "Text", maximumVocabularySize: 10000).Fit(train);
        return new TextLab(ml.Data.Cache(vectorizer.Transform(train)), ml.Data.Cache(vectorizer.Transform(test)), vectorizer.Vocabulary.Count, trainRows.Count, testRows.Count);
    }

    /// <summary>The lecture's IMDB model settings for a run.</summary>
    public DenseNetworkOptions Options(ExperimentContext context, string run, int[] hidden, int epochs = 20,
        double l2 = 0, double dropout = 0, EarlyStoppingOptions? earlyStopping = null) => new()
    {
        HiddenLayerSizes = hidden,
        Epochs = context.Epochs(epochs),
        BatchSize = BatchSize,
        ValidationFraction = 0.4,
        L2Regularization = l2,
        DropoutRate = dropout,
        EarlyStopping = earlyStopping,
        Seed = context.Seed,
        Progress = context.Reporter.ForRun(run, context.Epochs(epochs)),
        CancellationToken = context.CancellationToken,
    };

    /// <summary>Test accuracy and binary cross-entropy (natural log, no penalty) of a trained network.</summary>
    public (double Accuracy, double Loss) Evaluate(MLContext ml, ITransformer model) => Score(model.Transform(Test));

    /// <summary>
    /// Accuracy (probability above 0.5) and binary cross-entropy (natural log, probabilities clipped to [1e-7, 1 − 1e-7])
    /// of scored rows with a Boolean Label and a Probability column, from any binary trainer.
    /// </summary>
    public static (double Accuracy, double Loss) Score(IDataView scored)
    {
        var probabilities = scored.GetColumn<float>("Probability").ToArray();
        var labels = scored.GetColumn<bool>("Label").ToArray();
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            double p = Math.Clamp(probabilities[i], 1e-7, 1 - 1e-7);
            loss -= labels[i] ? Math.Log(p) : Math.Log(1 - p);
            correct += (probabilities[i] > 0.5) == labels[i] ? 1 : 0;
        }
        return ((double)correct / labels.Length, loss / labels.Length);
    }
}