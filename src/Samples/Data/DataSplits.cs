namespace MlNetDeep.Samples.Data;

/// <summary>
/// The seeded shuffle, subsample and text split the experiments share. The rest is the library's: a Keras-style
/// validation split is <c>DenseNetworkOptions.ValidationFraction</c>, K-fold is <c>KFoldSplit</c> or
/// <c>RepeatedCrossValidate</c>, a hold-out is <c>TrainValidationTestSplit</c>. <see cref="ShuffleSplit{T}"/> stays
/// because the library's hold-out takes its test rows spread evenly over the shuffled order, not the last ones: the
/// same seed would put other mails in the SpamAssassin test set and move every measured text result in the README.
/// </summary>
public static class DataSplits
{
    /// <summary>A seeded Fisher-Yates shuffle; the input is not changed. The same seed gives the same order on every run.</summary>
    /// <typeparam name="T">The row type.</typeparam>
    /// <param name="rows">The rows to shuffle.</param>
    /// <param name="seed">The seed of the <see cref="Random"/> that draws the permutation.</param>
    public static T[] Shuffle<T>(IReadOnlyList<T> rows, int seed)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var result = rows.ToArray();
        var random = new Random(seed);
        for (int i = result.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (result[i], result[j]) = (result[j], result[i]);
        }
        return result;
    }

    /// <summary>
    /// scikit-learn's <c>train_test_split</c> with a seed: shuffle, then the last <c>ceil(n · testFraction)</c> rows
    /// are the test part (the lab's 75/25 split of the SpamAssassin mails).
    /// </summary>
    /// <typeparam name="T">The row type.</typeparam>
    /// <param name="rows">The rows.</param>
    /// <param name="testFraction">The fraction to hold out, in (0, 1).</param>
    /// <param name="seed">The shuffle seed.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="testFraction"/> is not in (0, 1).</exception>
    public static TrainTestSplit<T> ShuffleSplit<T>(IReadOnlyList<T> rows, double testFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(rows);
        CheckFraction(testFraction, nameof(testFraction));
        var shuffled = Shuffle(rows, seed);
        int testCount = (int)Math.Ceiling(shuffled.Length * testFraction);
        int trainCount = shuffled.Length - testCount;
        return new TrainTestSplit<T>(shuffled[..trainCount], shuffled[trainCount..]);
    }

    /// <summary>The first <paramref name="count"/> rows (all of them when there are fewer).</summary>
    /// <typeparam name="T">The row type.</typeparam>
    /// <param name="rows">The rows.</param>
    /// <param name="count">How many to keep, at least 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public static IReadOnlyList<T> Take<T>(IReadOnlyList<T> rows, int count)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return count >= rows.Count ? rows : Slice(rows, 0, count);
    }

    private static T[] Slice<T>(IReadOnlyList<T> rows, int start, int count)
    {
        var result = new T[count];
        for (int i = 0; i < count; i++)
            result[i] = rows[start + i];
        return result;
    }

    private static void CheckFraction(double fraction, string name)
    {
        if (!(fraction > 0 && fraction < 1))
            throw new ArgumentOutOfRangeException(name, fraction, $"Invalid value for {name}: expected a number between 0 and 1 (exclusive). Received: {name}={fraction}.");
    }
}
