namespace MlNetDeep;

/// <summary>
/// How the trainer holds the feature rows in memory while it trains (Keras: <c>keras.Input(shape, sparse=True)</c>
/// for <see cref="Sparse"/>). The trained network, its scores and the saved model are the same whichever is used; only
/// memory and time differ.
/// </summary>
public enum FeatureLayout
{
    /// <summary>
    /// The default: <see cref="Sparse"/> when the feature column's first row arrives as a sparse vector (as
    /// <c>FeaturizeText</c>, <c>ProduceWordBags</c> and <c>VectorizeBagOfWords</c> produce) and, once every row is read,
    /// at most a tenth of all values are non-zero; otherwise <see cref="Dense"/>.
    /// </summary>
    Auto,

    /// <summary>Every row is stored in full, rows × width floats, and batches are dense matrices.</summary>
    Dense,

    /// <summary>
    /// Only the non-zero values are stored (compressed sparse rows: a column index and a value per non-zero), and the
    /// first layer multiplies each sparse batch, so the rows' memory and the first layer's multiply grow with the
    /// non-zeros rather than rows × width. The first layer's kernel, its gradient and the optimizer's state stay dense
    /// (width × units), and every optimizer step updates all of them, as Keras does.
    /// </summary>
    Sparse,
}
