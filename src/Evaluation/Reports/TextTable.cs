using System.Text;

namespace MlNetDeep;

/// <summary>Renders rows of cells as an aligned plain-text table or a GitHub-flavored markdown table.</summary>
internal static class TextTable
{
    /// <summary>Columns padded to their widest cell; numbers (cells starting with a digit, sign or NaN) right-aligned.</summary>
    public static string ToText(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var sb = new StringBuilder();
        void Line(IReadOnlyList<string> cells)
        {
            for (int i = 0; i < cells.Count; i++)
            {
                if (i > 0) sb.Append("  ");
                sb.Append(IsNumber(cells[i]) ? cells[i].PadLeft(widths[i]) : cells[i].PadRight(widths[i]));
            }
            sb.Append('\n');
        }
        Line(header);
        Line(widths.Select(w => new string('-', w)).ToArray());
        foreach (var row in rows)
            Line(row);
        return sb.ToString();
    }

    /// <summary>A markdown table; pipes inside cells are escaped.</summary>
    public static string ToMarkdown(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        static string Cell(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
        var sb = new StringBuilder();
        sb.Append("| ").AppendJoin(" | ", header.Select(Cell)).Append(" |\n");
        sb.Append('|').AppendJoin('|', header.Select((_, i) => i == 0 ? " --- " : " ---: ")).Append("|\n");
        foreach (var row in rows)
            sb.Append("| ").AppendJoin(" | ", row.Select(Cell)).Append(" |\n");
        return sb.ToString();
    }

    private static bool IsNumber(string cell)
        => cell.Length > 0 && (char.IsDigit(cell[0]) || cell[0] == '-' || cell[0] == '+' || cell.StartsWith("NaN", StringComparison.Ordinal) || cell[0] == '∞');
}
