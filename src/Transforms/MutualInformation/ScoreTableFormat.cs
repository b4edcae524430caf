namespace MlNetDeep;

/// <summary>The text format <see cref="MutualInformationSelectingTransformer.WriteScores"/> writes.</summary>
public enum ScoreTableFormat
{
    /// <summary>Comma-separated values with a header row: <c>Slot,Name,Score,Rank,Selected</c>.</summary>
    Csv,

    /// <summary>A Markdown table with the same columns, highest score first.</summary>
    Markdown,
}
