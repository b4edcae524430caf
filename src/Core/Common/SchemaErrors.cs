using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Common;

/// <summary>
/// The one wording for a missing column or a column of the wrong type, shaped like ML.NET's own
/// ("Schema mismatch for feature column 'Features': expected Vector&lt;Single&gt;, got Vector&lt;Double&gt;"):
/// <c>Schema mismatch for {role} column '{name}': column not found; available columns: 'A', 'B'.</c> and
/// <c>Schema mismatch for {role} column '{name}': expected {expected}, got {actual}.</c>
/// A wrong-type message names no other columns (the column is there; its type is the problem), as in ML.NET.
/// </summary>
internal static class SchemaErrors
{
    /// <summary>How many available columns a missing-column message lists before "… (N more)".</summary>
    public const int MaxListedColumns = 20;

    /// <summary>The text for a missing column; <paramref name="available"/> are the visible column names.</summary>
    public static string MissingMessage(string role, string name, IEnumerable<string> available)
        => $"Schema mismatch for {role} column '{name}': column not found; available columns: {List(available)}.";

    /// <summary>The text for a column of the wrong type.</summary>
    public static string WrongTypeMessage(string role, string name, string expected, string actual)
        => $"Schema mismatch for {role} column '{name}': expected {expected}, got {actual}.";

    /// <summary>The text for a missing column of a data view schema (hidden columns are not listed).</summary>
    public static string MissingMessage(string role, string name, DataViewSchema schema)
        => MissingMessage(role, name, Available(schema));

    /// <summary>The text for a missing column of a schema shape.</summary>
    public static string MissingMessage(string role, string name, SchemaShape schema)
        => MissingMessage(role, name, schema.Select(c => c.Name));

    /// <summary>An exception for a missing column; <paramref name="prefix"/> (e.g. "ValidationData: ") names other data.</summary>
    public static ArgumentException Missing(string role, string name, DataViewSchema schema, string? paramName, string? prefix = null)
        => new(prefix + MissingMessage(role, name, schema), paramName);

    /// <summary>An exception for a missing column of a schema shape.</summary>
    public static ArgumentException Missing(string role, string name, SchemaShape schema, string? paramName, string? prefix = null)
        => new(prefix + MissingMessage(role, name, schema), paramName);

    /// <summary>An exception for a column of the wrong type.</summary>
    public static ArgumentException WrongType(string role, string name, string expected, string actual, string? paramName, string? prefix = null)
        => new(prefix + WrongTypeMessage(role, name, expected, actual), paramName);

    /// <summary>An exception for a column of the wrong type, describing <paramref name="actual"/> the way the messages print types.</summary>
    public static ArgumentException WrongType(string role, string name, string expected, DataViewType actual, string? paramName, string? prefix = null)
        => WrongType(role, name, expected, SchemaChecks.Describe(actual), paramName, prefix);

    /// <summary>The visible column names of a schema.</summary>
    public static IEnumerable<string> Available(DataViewSchema schema) => schema.Where(c => !c.IsHidden).Select(c => c.Name);

    private static string List(IEnumerable<string> names)
    {
        var all = names.ToList();
        if (all.Count == 0)
            return "(none)";
        var shown = string.Join(", ", all.Take(MaxListedColumns).Select(n => $"'{n}'"));
        return all.Count > MaxListedColumns ? $"{shown}, … ({all.Count - MaxListedColumns} more)" : shown;
    }
}
