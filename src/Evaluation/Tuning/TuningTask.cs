using Microsoft.ML;
using MlNetDeep.Training;

namespace MlNetDeep;

/// <summary>
/// What the search needs to know about one of the three tasks: how to train and range-test a network, how to score a
/// fold's held-out rows (the loss the search minimizes and ML.NET's metrics), and how folds are stratified.
/// </summary>
internal sealed class TuningTask
{
    private readonly Func<DenseNetworkOptions, IEstimator<DenseNetworkTransformer>> _create;
    private readonly Func<DenseNetworkOptions, IDataView, LearningRateFinderResult> _findLearningRate;
    private readonly Func<MLContext, IDataView, string, (double Loss, IReadOnlyDictionary<string, double> Metrics)> _evaluate;

    private readonly NetworkTask _network;

    private TuningTask(NetworkTask network, string name, bool classification, string lossDescription, string headlineMetric,
        Func<DenseNetworkOptions, IEstimator<DenseNetworkTransformer>> create,
        Func<DenseNetworkOptions, IDataView, LearningRateFinderResult> findLearningRate,
        Func<MLContext, IDataView, string, (double, IReadOnlyDictionary<string, double>)> evaluate)
    {
        _network = network;
        Name = name;
        IsClassification = classification;
        LossDescription = lossDescription;
        HeadlineMetric = headlineMetric;
        _create = create;
        _findLearningRate = findLearningRate;
        _evaluate = evaluate;
    }

    /// <summary>"binary classification", "multiclass classification" or "regression".</summary>
    public string Name { get; }

    /// <summary>True for binary and multiclass: folds are stratified by class and the baseline predicts the class priors.</summary>
    public bool IsClassification { get; }

    /// <summary>What the minimized loss is, for the report.</summary>
    public string LossDescription { get; }

    /// <summary>The ML.NET metric shown beside the loss in the report.</summary>
    public string HeadlineMetric { get; }

    public static TuningTask Binary { get; } = new(
        NetworkTask.Binary, "binary classification", true, "cross-entropy in nats (from the logit Score, as the trainer computes it; ML.NET's LogLoss is in bits and infinite for a saturated wrong probability)", "Accuracy",
        o => new DenseNetworkBinaryTrainer(o),
        (o, data) => new DenseNetworkBinaryTrainer(o).FindLearningRate(data),
        (ml, scored, label) => (BinaryCrossEntropy(scored, label), MetricValues.Of(ml.BinaryClassification.Evaluate(scored, label))));

    public static TuningTask Multiclass { get; } = new(
        NetworkTask.Multiclass, "multiclass classification", true, "cross-entropy in nats (ML.NET's LogLoss)", "MicroAccuracy",
        o => new DenseNetworkMulticlassTrainer(o),
        (o, data) => new DenseNetworkMulticlassTrainer(o).FindLearningRate(data),
        (ml, scored, label) =>
        {
            var m = ml.MulticlassClassification.Evaluate(scored, label);
            return (m.LogLoss, MetricValues.Of(m)); // ML.NET's multiclass LogLoss is in nats
        });

    public static TuningTask Regression { get; } = new(
        NetworkTask.Regression, "regression", false, "mean squared error", "RSquared",
        o => new DenseNetworkRegressionTrainer(o),
        (o, data) => new DenseNetworkRegressionTrainer(o).FindLearningRate(data),
        (ml, scored, label) =>
        {
            var m = ml.Regression.Evaluate(scored, label);
            return (m.MeanSquaredError, MetricValues.Of(m));
        });

    /// <summary>Checks the columns the trainer needs (names, types), before anything trains.</summary>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type.</exception>
    public void CheckSchema(DenseNetworkOptions options, IDataView data)
        => ColumnChecks.Check(data.Schema, _network, options.FeatureColumnName, options.LabelColumnName, options.ExampleWeightColumnName);

    public DenseNetworkTransformer Fit(DenseNetworkOptions options, IDataView data) => _create(options).Fit(data);

    public LearningRateFinderResult FindLearningRate(DenseNetworkOptions options, IDataView data) => _findLearningRate(options, data);

    /// <summary>
    /// The mean sigmoid cross-entropy in nats of the logits in Score, computed stably (softplus) as the trainer's loss
    /// is: finite even where the Probability column rounds to exactly 0 or 1.
    /// </summary>
    private static double BinaryCrossEntropy(IDataView scored, string labelColumnName)
    {
        var label = scored.Schema[labelColumnName];
        var score = scored.Schema["Score"];
        using var cursor = scored.GetRowCursor(new[] { label, score });
        var getLabel = cursor.GetGetter<bool>(label);
        var getScore = cursor.GetGetter<float>(score);
        bool y = false;
        float s = 0;
        double sum = 0;
        long n = 0;
        while (cursor.MoveNext())
        {
            getLabel(ref y);
            getScore(ref s);
            double z = y ? -s : s; // loss = softplus(-s) for a positive row, softplus(s) for a negative one
            sum += Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z)));
            n++;
        }
        return n == 0 ? double.NaN : sum / n;
    }

    /// <summary>The held-out loss (no penalty) and ML.NET's metrics of scored rows.</summary>
    public (double Loss, IReadOnlyDictionary<string, double> Metrics) Evaluate(IDataView scored, string labelColumnName)
        => _evaluate(new MLContext(seed: 0), scored, labelColumnName); // one context per call: folds are scored on several threads
}
