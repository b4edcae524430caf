using Microsoft.ML;

namespace MlNetDeep;

/// <summary>Catalog entry points of the dense-network trainers: <c>mlContext.&lt;Task&gt;.Trainers.DenseNetwork(...)</c>.</summary>
public static class DenseNetworkCatalog
{
    /// <summary>A dense network for binary classification (Boolean label).</summary>
    /// <param name="catalog">The binary-classification trainers catalog.</param>
    /// <param name="labelColumnName">The Boolean label column.</param>
    /// <param name="featureColumnName">The known-size Single vector feature column.</param>
    /// <param name="hiddenLayerSizes">Units per hidden layer; null for the default { 64 }, empty for logistic regression.</param>
    /// <param name="epochs">Passes over the training data.</param>
    /// <param name="batchSize">Rows per mini-batch.</param>
    /// <param name="learningRate">RMSprop's learning rate.</param>
    /// <exception cref="ArgumentException">An argument is invalid; the message lists every one.</exception>
    public static DenseNetworkBinaryTrainer DenseNetwork(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int[]? hiddenLayerSizes = null,
        int epochs = DenseNetworkOptions.Defaults.Epochs, int batchSize = DenseNetworkOptions.Defaults.BatchSize, double learningRate = DenseNetworkOptions.Defaults.LearningRate)
        => DenseNetwork(catalog, Flat(labelColumnName, featureColumnName, hiddenLayerSizes, epochs, batchSize, learningRate));

    /// <summary>A dense network for binary classification, configured by <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid; the message lists every one.</exception>
    public static DenseNetworkBinaryTrainer DenseNetwork(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, DenseNetworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new DenseNetworkBinaryTrainer(options);
    }

    /// <summary>A dense network for multiclass classification (key label; softmax output).</summary>
    /// <param name="catalog">The multiclass-classification trainers catalog.</param>
    /// <param name="labelColumnName">The key-typed label column (see MapValueToKey).</param>
    /// <param name="featureColumnName">The known-size Single vector feature column.</param>
    /// <param name="hiddenLayerSizes">Units per hidden layer; null for the default { 64 }, empty for softmax regression.</param>
    /// <param name="epochs">Passes over the training data.</param>
    /// <param name="batchSize">Rows per mini-batch.</param>
    /// <param name="learningRate">RMSprop's learning rate.</param>
    /// <exception cref="ArgumentException">An argument is invalid; the message lists every one.</exception>
    public static DenseNetworkMulticlassTrainer DenseNetwork(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int[]? hiddenLayerSizes = null,
        int epochs = DenseNetworkOptions.Defaults.Epochs, int batchSize = DenseNetworkOptions.Defaults.BatchSize, double learningRate = DenseNetworkOptions.Defaults.LearningRate)
        => DenseNetwork(catalog, Flat(labelColumnName, featureColumnName, hiddenLayerSizes, epochs, batchSize, learningRate));

    /// <summary>A dense network for multiclass classification, configured by <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid; the message lists every one.</exception>
    public static DenseNetworkMulticlassTrainer DenseNetwork(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, DenseNetworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new DenseNetworkMulticlassTrainer(options);
    }

    /// <summary>A dense network for regression (Single label; linear output).</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="labelColumnName">The Single label column.</param>
    /// <param name="featureColumnName">The known-size Single vector feature column.</param>
    /// <param name="hiddenLayerSizes">Units per hidden layer; null for the default { 64 }, empty for linear regression.</param>
    /// <param name="epochs">Passes over the training data.</param>
    /// <param name="batchSize">Rows per mini-batch.</param>
    /// <param name="learningRate">RMSprop's learning rate.</param>
    /// <exception cref="ArgumentException">An argument is invalid; the message lists every one.</exception>
    public static DenseNetworkRegressionTrainer DenseNetwork(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int[]? hiddenLayerSizes = null,
        int epochs = DenseNetworkOptions.Defaults.Epochs, int batchSize = DenseNetworkOptions.Defaults.BatchSize, double learningRate = DenseNetworkOptions.Defaults.LearningRate)
        => DenseNetwork(catalog, Flat(labelColumnName, featureColumnName, hiddenLayerSizes, epochs, batchSize, learningRate));

    /// <summary>A dense network for regression, configured by <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid; the message lists every one.</exception>
    public static DenseNetworkRegressionTrainer DenseNetwork(this RegressionCatalog.RegressionTrainers catalog, DenseNetworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new DenseNetworkRegressionTrainer(options);
    }

    private static DenseNetworkOptions Flat(string label, string features, int[]? hidden, int epochs, int batchSize, double learningRate) => new()
    {
        LabelColumnName = label,
        FeatureColumnName = features,
        HiddenLayerSizes = hidden, // null means the default { 64 }, exactly as in the options overload
        Epochs = epochs,
        BatchSize = batchSize,
        LearningRate = learningRate,
    };
}
