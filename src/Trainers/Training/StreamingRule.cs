namespace MlNetDeep.Training;

/// <summary>When <see cref="StreamingMode.Auto"/> streams: the rule <see cref="DenseNetworkOptions.Streaming"/> documents.</summary>
internal static class StreamingRule
{
    /// <summary>What <paramref name="rows"/> rows of <paramref name="dimension"/> features take in memory: features, label and weight as floats.</summary>
    public static long InMemoryBytes(long rows, int dimension) => rows * ((long)dimension + 2) * sizeof(float);

    /// <summary>What <paramref name="rows"/> sparse rows holding <paramref name="nonZeros"/> values take in memory: a column index and a value per non-zero, a row start, label and weight per row.</summary>
    public static long SparseBytes(long rows, long nonZeros) => nonZeros * (sizeof(int) + sizeof(float)) + rows * 3 * sizeof(int);

    /// <summary>The bytes the training rows may take in memory: the options' budget, or half of what the process may use.</summary>
    public static long Budget(DenseNetworkOptions options) => options.MemoryBudget ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2;

    /// <summary>True when <paramref name="rows"/> rows do not fit: over the budget, or more feature values than one array holds.</summary>
    public static bool TooLarge(long rows, int dimension, long budget) =>
        InMemoryBytes(rows, dimension) > budget || rows * (long)dimension > Array.MaxLength || rows > int.MaxValue;

    /// <summary>
    /// Streams or not, decided before reading: On and Off say so; Auto streams when the view's known row count is too
    /// large (<see cref="TooLarge"/>) for rows stored dense (<see cref="FeatureLayout.Dense"/>), and otherwise returns
    /// null when the count is unknown or the rows may be stored sparse: read into memory within the budget and stream if
    /// it runs out (<see cref="DataTooLargeException"/>).
    /// </summary>
    public static bool? Decide(DenseNetworkOptions options, long? knownRows, int dimension) => options.Streaming switch
    {
        StreamingMode.On => true,
        StreamingMode.Off => false,
        // rows too large dense that may be stored sparse (FeatureLayout Auto or Sparse) take what their non-zeros
        // take, known only once read: read within the budget then, as for an unknown row count
        _ => knownRows is long n
            ? TooLarge(n, dimension, Budget(options)) ? (options.FeatureLayout == FeatureLayout.Dense ? true : null) : false
            : null,
    };
}

/// <summary>Thrown by <see cref="TrainingSet.Read"/> when the rows read pass the memory budget; Fit then streams.</summary>
internal sealed class DataTooLargeException : Exception
{
    public DataTooLargeException(long rows, int dimension)
        : base($"{rows} rows of {dimension} features take more memory than the budget for rows held in memory.")
    {
    }
}
