using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Cli.Data;

/// <summary>What a column of a delimited text file holds, judged from a sample of its rows.</summary>
internal enum ColumnKind
{
    /// <summary>Every non-empty value parses as a number (invariant culture); empty values are missing.</summary>
    Numeric,

    /// <summary>Every non-empty value is true/false (any case).</summary>
    Boolean,

    /// <summary>Short strings with few distinct values: one-hot encoded.</summary>
    Categorical,

    /// <summary>Longer or mostly distinct strings: a bag of words.</summary>
    Text,
}

/// <summary>One column of the file: its header name, position, kind, the distinct values seen in the sample (the first 100) and how often each non-empty value occurs there.</summary>
internal sealed record TabularColumn(string Name, int Index, ColumnKind Kind, IReadOnlyList<string> DistinctValues, IReadOnlyDictionary<string, int> ValueCounts)
{
    /// <summary>How many distinct non-empty values the sample holds.</summary>
    public int DistinctCount => ValueCounts.Count;
}

/// <summary>
/// A CSV/TSV file with a header row, its separator sniffed from the header and every column's kind inferred from up to
/// <see cref="SampleRows"/> rows — what ML.NET's AutoML <c>InferColumns</c> does (AutoML is not a dependency here).
/// </summary>
internal sealed class TabularFile
{
    public const int SampleRows = 5000;
    private const int MaxCategories = 50;

    private TabularFile(string path, char separator, IReadOnlyList<TabularColumn> columns, int sampledRows)
    {
        Path = path;
        Separator = separator;
        Columns = columns;
        SampledRows = sampledRows;
    }

    public string Path { get; }

    public char Separator { get; }

    public IReadOnlyList<TabularColumn> Columns { get; }

    public int SampledRows { get; }

    public TabularColumn this[string name] => Columns.FirstOrDefault(c => c.Name == name)
        ?? throw new ArgumentException($"The file has no column '{name}'. Its columns: {string.Join(", ", Columns.Select(c => $"'{c.Name}'"))}.");

    /// <summary>Reads the header and a sample of rows and infers each column's kind.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty, has no data rows, or a row has another number of fields than the header.</exception>
    public static TabularFile Inspect(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"The data file '{path}' does not exist.", path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        string? header = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(header))
            throw new InvalidDataException($"'{path}' is empty: expected a header row with the column names.");
        char separator = SniffSeparator(header);
        var names = Split(header, separator);
        if (names.Count < 2)
            throw new InvalidDataException($"'{path}' has one column ('{names[0]}'): expected a label and at least one feature, separated by commas, tabs or semicolons.");
        var duplicate = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidDataException($"'{path}' names column '{duplicate.Key}' twice; column names must be unique.");

        var values = names.Select(_ => new List<string>()).ToArray();
        int rows = 0;
        for (string? line = reader.ReadLine(); line is not null && rows < SampleRows; line = reader.ReadLine())
        {
            if (line.Length == 0)
                continue;
            var fields = Split(line, separator);
            if (fields.Count != names.Count)
                throw new InvalidDataException($"'{path}' line {rows + 2} has {fields.Count} fields; the header has {names.Count} (separator '{Describe(separator)}').");
            for (int c = 0; c < fields.Count; c++)
                values[c].Add(fields[c]);
            rows++;
        }
        if (rows == 0)
            throw new InvalidDataException($"'{path}' has a header but no data rows.");
        var columns = names.Select((name, i) => Infer(name, i, values[i])).ToArray();
        return new TabularFile(path, separator, columns, rows);
    }

    /// <summary>An ML.NET text loader for this file: numeric columns as Single, Boolean as Boolean, the rest as String.</summary>
    public TextLoader CreateLoader(MLContext ml) => CreateLoader(ml, Columns.Select(c => new TextLoader.Column(c.Name, c.Kind switch
    {
        ColumnKind.Numeric => DataKind.Single,
        ColumnKind.Boolean => DataKind.Boolean,
        _ => DataKind.String,
    }, c.Index)).ToArray());

    /// <summary>
    /// An ML.NET text loader for this file's format with the given columns (training and prediction read a file the
    /// same way: its separator, header, quotes, and empty numbers as missing).
    /// </summary>
    public TextLoader CreateLoader(MLContext ml, TextLoader.Column[] columns) => ml.Data.CreateTextLoader(new TextLoader.Options
    {
        Separators = new[] { Separator },
        HasHeader = true,
        AllowQuoting = true,
        MissingRealsAsNaNs = true, // an empty number is missing (NaN, then replaced by the mean), not 0
        ReadMultilines = false,
        TrimWhitespace = Separator != '\t',
        Columns = columns,
    });

    private static TabularColumn Infer(string name, int index, List<string> values)
    {
        var present = values.Where(v => v.Length > 0).ToArray();
        var distinct = present.Distinct(StringComparer.Ordinal).ToArray();
        var counts = present.GroupBy(v => v, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        ColumnKind kind;
        if (present.Length == 0)
            kind = ColumnKind.Numeric; // every value missing: read as NaN, and dropped as a constant column
        else if (present.All(v => float.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            kind = ColumnKind.Numeric;
        else if (present.Length > 0 && present.All(v => bool.TryParse(v, out _)))
            kind = ColumnKind.Boolean;
        else if (distinct.Length <= Math.Max(MaxCategories, present.Length / 20) && distinct.Length <= 1000 && present.Average(v => v.Length) < 40)
            kind = ColumnKind.Categorical;
        else
            kind = ColumnKind.Text;
        return new TabularColumn(name, index, kind, distinct.Take(100).ToArray(), counts);
    }

    private static char SniffSeparator(string header)
    {
        char[] candidates = { '\t', ',', ';', '|' };
        return candidates.OrderByDescending(c => Split(header, c).Count).ThenBy(c => Array.IndexOf(candidates, c)).First();
    }

    /// <summary>Splits one line on the separator, honouring double quotes ("" is a quote inside a quoted field).</summary>
    internal static List<string> Split(string line, char separator)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (ch == '"')
                    quoted = false;
                else
                    field.Append(ch);
            }
            else if (ch == '"' && field.Length == 0)
                quoted = true;
            else if (ch == separator)
            {
                fields.Add(separator == '\t' ? field.ToString() : field.ToString().Trim());
                field.Clear();
            }
            else
                field.Append(ch);
        }
        fields.Add(separator == '\t' ? field.ToString() : field.ToString().Trim());
        return fields;
    }

    private static string Describe(char separator) => separator == '\t' ? "\\t" : separator.ToString();
}
