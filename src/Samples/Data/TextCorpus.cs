namespace MlNetDeep.Samples.Data;

/// <summary>
/// A binary text data set: the SpamAssassin corpus (no preset split) or IMDB's aclImdb (preset train and test folders).
/// </summary>
public sealed class TextCorpus
{
    /// <summary>Creates a corpus.</summary>
    /// <param name="name">The data set's name, e.g. "SpamAssassin".</param>
    /// <param name="positiveClass">What <see cref="TextExample.Label"/> = true means, e.g. "spam".</param>
    /// <param name="negativeClass">What <see cref="TextExample.Label"/> = false means, e.g. "ham".</param>
    /// <param name="origin">Where the documents were read from, for messages and reports.</param>
    /// <param name="examples">All documents (with a preset split: the training part), in a fixed reading order.</param>
    /// <param name="presetTest">The preset test part, or null when the corpus has none.</param>
    public TextCorpus(string name, string positiveClass, string negativeClass, string origin,
        IReadOnlyList<TextExample> examples, IReadOnlyList<TextExample>? presetTest = null)
    {
        Name = name;
        PositiveClass = positiveClass;
        NegativeClass = negativeClass;
        Origin = origin;
        Examples = examples;
        PresetTest = presetTest;
    }

    /// <summary>The data set's name.</summary>
    public string Name { get; }

    /// <summary>What a true label means.</summary>
    public string PositiveClass { get; }

    /// <summary>What a false label means.</summary>
    public string NegativeClass { get; }

    /// <summary>Where the documents were read from.</summary>
    public string Origin { get; }

    /// <summary>The documents in reading order (sorted by folder, then file name); the training part when there is a preset split.</summary>
    public IReadOnlyList<TextExample> Examples { get; }

    /// <summary>The preset test part (aclImdb's test folders), or null.</summary>
    public IReadOnlyList<TextExample>? PresetTest { get; }

    /// <summary>
    /// The lab's training/test split. Without a preset split: a seeded shuffle of every document, the last
    /// <paramref name="testFraction"/> (rounded up) as test. With one: each preset part shuffled with the seed (the
    /// reading order groups the classes, and the lecture's validation split takes the last rows).
    /// </summary>
    /// <param name="seed">The shuffle seed.</param>
    /// <param name="testFraction">The held-out fraction when there is no preset split; the lab uses 0.25.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="testFraction"/> is not in (0, 1).</exception>
    public TrainTestSplit<TextExample> Split(int seed, double testFraction = 0.25)
    {
        if (PresetTest is not null)
            return new TrainTestSplit<TextExample>(DataSplits.Shuffle(Examples, seed), DataSplits.Shuffle(PresetTest, seed + 1));
        return DataSplits.ShuffleSplit(Examples, testFraction, seed);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        int positives = Examples.Count(e => e.Label) + (PresetTest?.Count(e => e.Label) ?? 0);
        int total = Examples.Count + (PresetTest?.Count ?? 0);
        return $"{Name} ({total:N0} documents: {positives:N0} {PositiveClass}, {total - positives:N0} {NegativeClass}; from {Origin})";
    }
}
