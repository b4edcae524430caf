using Microsoft.ML.Data;

namespace MlNetDeep.Samples.ModelBuilder;

/// <summary>Model Builder-style input row of the spam classifier: one mail's text and whether it is spam.</summary>
public sealed class SpamModelInput
{
    /// <summary>Subject and body of the mail.</summary>
    [LoadColumn(0)]
    public string Text { get; set; } = "";

    /// <summary>True for spam (ignored when predicting).</summary>
    [LoadColumn(1)]
    public bool Label { get; set; }
}
