using System.Globalization;

namespace MlNetDeep.Training;

/// <summary>Counts bad values per kind and remembers the first, so one message reports them all.</summary>
internal sealed class BadValues
{
    private readonly string _what;
    private readonly string _prefix;
    private readonly List<string> _firsts = new();
    private readonly Dictionary<string, long> _counts = new();

    public BadValues(string what, string prefix)
    {
        _what = what;
        _prefix = prefix;
    }

    public void Feature(string column, long row, int slot, float value) =>
        Note($"{_prefix}Column '{column}' has {{0}} {_what} row(s) with NaN or infinite values (first: row {row}, slot {slot}, value {Show(value)}); remove or replace them (e.g. mlContext.Transforms.ReplaceMissingValues) before training.");

    public void Label(string column, long row, NetworkTask task, float value) => Note(task == NetworkTask.Multiclass
        ? $"{_prefix}Column '{column}' has {{0}} {_what} row(s) with a missing key (a label value the key mapping did not know; first: row {row}); fit MapValueToKey on data that holds every class, or filter those rows."
        : $"{_prefix}Column '{column}' has {{0}} {_what} row(s) with a NaN or infinite label (first: row {row}, value {Show(value)}); remove them before training.");

    public void Weight(string column, long row, float value) =>
        Note($"{_prefix}Column '{column}' has {{0}} {_what} row(s) with a negative, NaN or infinite example weight (first: row {row}, value {Show(value)}).");

    public void ThrowIfAny()
    {
        if (_firsts.Count == 0)
            return;
        throw new ArgumentException(string.Join(Environment.NewLine, _firsts.Select(f => string.Format(CultureInfo.InvariantCulture, f, _counts[f]))));
    }

    private void Note(string template)
    {
        // the template's first occurrence is kept; later rows of the same kind only count
        var key = _firsts.FirstOrDefault(f => Kind(f) == Kind(template));
        if (key is null)
        {
            _firsts.Add(template);
            _counts[template] = 1;
        }
        else
        {
            _counts[key]++;
        }
    }

    private static string Kind(string template) => template[..template.IndexOf("{0}", StringComparison.Ordinal)];

    private static string Show(float v) => v.ToString("R", CultureInfo.InvariantCulture);
}
