namespace MlNetDeep.Samples.Data;

/// <summary>An MNIST-format image data set: its training and test rows in file order and its class names.</summary>
public sealed class ImageCorpus
{
    /// <summary>Fashion-MNIST's class names, by label index.</summary>
    public static readonly IReadOnlyList<string> FashionMnistClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>MNIST's class names, by label index: the digits "0" … "9".</summary>
    public static readonly IReadOnlyList<string> DigitClassNames = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>Creates a corpus.</summary>
    /// <param name="kind">Which data set the rows come from (not <see cref="MnistKind.Auto"/>).</param>
    /// <param name="origin">Where the rows were read from, for messages and reports.</param>
    /// <param name="train">The training rows, in file order.</param>
    /// <param name="test">The test rows, in file order.</param>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is <see cref="MnistKind.Auto"/>.</exception>
    public ImageCorpus(MnistKind kind, string origin, IReadOnlyList<ImageExample> train, IReadOnlyList<ImageExample> test)
    {
        if (kind == MnistKind.Auto)
            throw new ArgumentException("Invalid value for kind: expected FashionMnist or Digits. Received: kind=Auto.", nameof(kind));
        Kind = kind;
        Origin = origin;
        Train = train;
        Test = test;
    }

    /// <summary>Which data set this is.</summary>
    public MnistKind Kind { get; }

    /// <summary>"Fashion-MNIST" or "MNIST".</summary>
    public string Name => Kind == MnistKind.FashionMnist ? "Fashion-MNIST" : "MNIST";

    /// <summary>The class names by label index.</summary>
    public IReadOnlyList<string> ClassNames => Kind == MnistKind.FashionMnist ? FashionMnistClassNames : DigitClassNames;

    /// <summary>Where the rows were read from (a folder, or "embedded subset").</summary>
    public string Origin { get; }

    /// <summary>The training rows in file order (the lecture's validation split takes the last rows of these).</summary>
    public IReadOnlyList<ImageExample> Train { get; }

    /// <summary>The test rows in file order.</summary>
    public IReadOnlyList<ImageExample> Test { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Train.Count:N0} training + {Test.Count:N0} test images from {Origin})";
}
