namespace MlNetDeep.Samples.Data;

/// <summary>Which data set a folder of MNIST-format idx files holds (they share the format, not the class names).</summary>
public enum MnistKind
{
    /// <summary>Decide from the images: Fashion-MNIST's mean pixel is about 0.29, MNIST digits' about 0.13 (threshold 0.2).</summary>
    Auto,

    /// <summary>Zalando's Fashion-MNIST: T-shirt/top, Trouser, … Ankle boot.</summary>
    FashionMnist,

    /// <summary>LeCun's MNIST hand-written digits "0" … "9".</summary>
    Digits,
}
