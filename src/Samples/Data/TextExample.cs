using Microsoft.ML.Data;

namespace MlNetDeep.Samples.Data;

/// <summary>One document of a binary text task (a mail: spam or ham; a review: positive or negative).</summary>
public sealed class TextExample
{
    /// <summary>The raw text (for a mail, the Subject header and the raw body; no lowercasing, no MIME or HTML decoding). ML.NET column "Text".</summary>
    public string Text { get; set; } = "";

    /// <summary>True for the positive class (spam; a positive review). ML.NET column "Label" (Boolean).</summary>
    public bool Label { get; set; }

    /// <summary>Where the document came from, e.g. "spam-1/00001.7848dde101aa985090474a91ec93fcf0.txt" (not an ML.NET column).</summary>
    [NoColumn]
    public string Source { get; set; } = "";
}
