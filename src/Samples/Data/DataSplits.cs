namespace MlNetDeep.Samples.Data;

/// <summary>Seeded shuffles and splits the experiments share (Keras' and scikit-learn's conventions).</summary>
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
    /// Keras' <c>validation_split</c>: the last <paramref name="validationFraction"/> of the rows, in their order, are the
    /// validation part; the first <c>floor(n · (1 − fraction))</c> rows train. No shuffling.
    /// </summary>
    /// <typeparam name="T">The row type.</typeparam>
    /// <param name="rows">The rows.</param>
    /// <param name="validationFraction">The fraction to hold out, in (0, 1); the lecture uses 0.2 for images, 0.4 for text.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="validationFraction"/> is not in (0, 1).</exception>
    public static TrainTestSplit<T> SplitLast<T>(IReadOnlyList<T> rows, double validationFraction)
    {
        ArgumentNullException.ThrowIfNull(rows);
        CheckFraction(validationFraction, nameof(validationFraction));
        int trainCount = (int)(rows.Count * (1 - validationFraction));
        return new TrainTestSplit<T>(Slice(rows, 0, trainCount), Slice(rows, trainCount, rows.Count - trainCount));
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

    /// <summary>
    /// Fold <paramref name="fold"/> of K-fold validation as in the lecture: fold k holds rows
    /// [k·⌊n/K⌋, (k+1)·⌊n/K⌋) out, the rest (including the remainder rows) train. Shuffle first for iterated K-fold.
    /// </summary>
    /// <typeparam name="T">The row type.</typeparam>
    /// <param name="rows">The rows.</param>
    /// <param name="folds">The number of folds K, at least 2 and at most the number of rows.</param>
    /// <param name="fold">The held-out fold, 0 … K − 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="folds"/> or <paramref name="fold"/> is out of range.</exception>
    public static TrainTestSplit<T> KFold<T>(IReadOnlyList<T> rows, int folds, int fold)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (folds < 2 || folds > rows.Count)
            throw new ArgumentOutOfRangeException(nameof(folds), folds, $"Invalid value for folds: expected 2 to {rows.Count} (the number of rows). Received: folds={folds}.");
        if (fold < 0 || fold >= folds)
            throw new ArgumentOutOfRangeException(nameof(fold), fold, $"Invalid value for fold: expected 0 to {folds - 1}. Received: fold={fold}.");
        int size = rows.Count / folds;
        var validation = Slice(rows, fold * size, size);
        var train = new List<T>(rows.Count - size);
        for (int i = 0; i < rows.Count; i++)
            if (i < fold * size || i >= (fold + 1) * size)
                train.Add(rows[i]);
        return new TrainTestSplit<T>(train, validation);
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
