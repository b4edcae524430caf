namespace MlNetDeep;

/// <summary>The loss a regression network minimizes.</summary>
public enum RegressionLoss
{
    /// <summary>Mean squared error (Keras "mse"); the default.</summary>
    MeanSquaredError,

    /// <summary>Huber loss with delta 1 (Keras "huber"): quadratic near zero, linear for large errors.</summary>
    Huber,
}
