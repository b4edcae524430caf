using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Common;

namespace MlNetDeep;

/// <summary>
/// The fitted mutual-information selector: the per-slot scores it computed and the slots it keeps. Transforming and
/// saving go through ML.NET's own <c>SlotsDroppingTransformer</c>; after <c>Model.Load</c> the kept slots are
/// identical and the scores are no longer needed (write them out with <see cref="WriteScores"/> before saving).
/// </summary>
public sealed class MutualInformationSelectingTransformer : ComposedTransformer
{
    private readonly double[] _scores;
    private readonly int[] _selected;
    private readonly string[] _slotNames;

    internal MutualInformationSelectingTransformer(TransformerChain<ITransformer> inner, double[] scores, int[] selected, string[] slotNames)
        : base(inner)
    {
        _scores = scores;
        _selected = selected;
        _slotNames = slotNames;
    }

    /// <summary>One mutual-information score per input slot, in nats, in slot order (0 for a constant slot).</summary>
    public IReadOnlyList<double> Scores => _scores;

    /// <summary>The kept input slots in ascending order: output slot i is input slot <c>SelectedSlots[i]</c>.</summary>
    public IReadOnlyList<int> SelectedSlots => _selected;

    /// <summary>The input's slot names (or <c>f0, f1, …</c> when it had none), one per input slot.</summary>
    public IReadOnlyList<string> SlotNames => _slotNames;

    /// <summary>Writes every slot's score as a table: slot index, name, score (nats), rank (1 = best) and whether it was kept.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="format"/> is not a defined format.</exception>
    public void WriteScores(TextWriter writer, ScoreTableFormat format = ScoreTableFormat.Csv)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var rank = new int[_scores.Length];
        var order = Enumerable.Range(0, _scores.Length).OrderByDescending(j => _scores[j]).ThenBy(j => j).ToArray();
        for (int r = 0; r < order.Length; r++)
            rank[order[r]] = r + 1;
        var kept = new HashSet<int>(_selected);
        var inv = CultureInfo.InvariantCulture;
        switch (format)
        {
            case ScoreTableFormat.Csv:
                writer.WriteLine("Slot,Name,Score,Rank,Selected");
                for (int j = 0; j < _scores.Length; j++)
                    writer.WriteLine($"{j.ToString(inv)},{Csv(_slotNames[j])},{_scores[j].ToString("R", inv)},{rank[j].ToString(inv)},{(kept.Contains(j) ? "true" : "false")}");
                break;
            case ScoreTableFormat.Markdown:
                writer.WriteLine("| Rank | Slot | Name | Score (nats) | Selected |");
                writer.WriteLine("| ---: | ---: | --- | ---: | :---: |");
                foreach (var j in order)
                    writer.WriteLine($"| {rank[j].ToString(inv)} | {j.ToString(inv)} | {_slotNames[j].Replace("|", "\\|", StringComparison.Ordinal)} | {_scores[j].ToString("F6", inv)} | {(kept.Contains(j) ? "yes" : "no")} |");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Invalid value for format: expected Csv or Markdown.");
        }
    }

    private static string Csv(string s) => s.IndexOfAny(new[] { ',', '"', '\n', '\r' }) < 0 ? s : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
