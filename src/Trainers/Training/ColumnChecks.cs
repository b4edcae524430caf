using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Common;

namespace MlNetDeep.Training;

/// <summary>
/// Schema checks shared by GetOutputSchema (before any training) and Fit, with messages that name the column,
/// the expected type and the type found.
/// </summary>
internal static class ColumnChecks
{
    public static string ExpectedLabel(NetworkTask task) => task switch
    {
        NetworkTask.Binary => "Boolean",
        NetworkTask.Multiclass => "a key type (use mlContext.Transforms.Conversion.MapValueToKey)",
        _ => "Single",
    };

    /// <summary>Checks a SchemaShape (no vector sizes are known there).</summary>
    public static void Check(SchemaShape schema, NetworkTask task, string features, string label, string? weight)
    {
        var problems = new List<string>();
        if (FindOrNull(schema, features) is not { } f)
            problems.Add(SchemaErrors.MissingMessage("feature", features, schema));
        else if (f.Kind != SchemaShape.Column.VectorKind.Vector || f.ItemType != NumberDataViewType.Single || f.IsKey)
            problems.Add(FeatureMessage(features, SchemaChecks.Describe(f)));

        if (FindOrNull(schema, label) is not { } l)
            problems.Add(SchemaErrors.MissingMessage("label", label, schema));
        else if (!LabelOk(task, l.Kind == SchemaShape.Column.VectorKind.Scalar, l.IsKey, l.ItemType))
            problems.Add(LabelMessage(label, task, SchemaChecks.Describe(l)));

        if (weight is not null)
        {
            if (FindOrNull(schema, weight) is not { } w)
                problems.Add(SchemaErrors.MissingMessage("example-weight", weight, schema));
            else if (w.Kind != SchemaShape.Column.VectorKind.Scalar || w.IsKey || w.ItemType != NumberDataViewType.Single)
                problems.Add(WeightMessage(weight, SchemaChecks.Describe(w)));
        }
        Throw(problems);
    }

    /// <summary>
    /// Checks a real schema; returns the feature vector size. <paramref name="source"/> names data other than the
    /// estimator's input (e.g. "ValidationData") and starts every message, so the user knows which data is wrong.
    /// </summary>
    public static int Check(DataViewSchema schema, NetworkTask task, string features, string label, string? weight, bool requireLabel = true, string? source = null)
    {
        var problems = new List<string>();
        int size = 0;
        var f = schema.GetColumnOrNull(features);
        if (f is null)
            problems.Add(SchemaErrors.MissingMessage("feature", features, schema));
        else if (f.Value.Type is not VectorDataViewType { ItemType: NumberDataViewType nt } vt || nt != NumberDataViewType.Single || vt.Size == 0)
            problems.Add(FeatureMessage(features, SchemaChecks.Describe(f.Value.Type))); // a size of 0 is described "of unknown size"
        else
            size = vt.Size;

        if (requireLabel)
        {
            var l = schema.GetColumnOrNull(label);
            if (l is null)
                problems.Add(SchemaErrors.MissingMessage("label", label, schema));
            else if (!LabelOk(task, l.Value.Type))
                problems.Add(LabelMessage(label, task, SchemaChecks.Describe(l.Value.Type)));
            else if (task == NetworkTask.Multiclass && l.Value.Type is KeyDataViewType { Count: < 2 } key)
                problems.Add(SchemaErrors.WrongTypeMessage("label", label, "a key type with at least 2 classes", $"a key type with {key.Count}"));
        }

        if (requireLabel && weight is not null)
        {
            var w = schema.GetColumnOrNull(weight);
            if (w is null)
                problems.Add(SchemaErrors.MissingMessage("example-weight", weight, schema));
            else if (w.Value.Type != NumberDataViewType.Single)
                problems.Add(WeightMessage(weight, SchemaChecks.Describe(w.Value.Type)));
        }
        Throw(source is null ? problems : problems.Select(p => $"{source}: {p}").ToList());
        return size;
    }

    private static bool LabelOk(NetworkTask task, bool scalar, bool isKey, DataViewType itemType) => scalar && task switch
    {
        NetworkTask.Binary => !isKey && itemType == BooleanDataViewType.Instance,
        NetworkTask.Multiclass => isKey && itemType.RawType == typeof(uint),
        _ => !isKey && itemType == NumberDataViewType.Single,
    };

    private static bool LabelOk(NetworkTask task, DataViewType type) => task switch
    {
        NetworkTask.Binary => type == BooleanDataViewType.Instance,
        NetworkTask.Multiclass => type is KeyDataViewType k && k.RawType == typeof(uint),
        _ => type == NumberDataViewType.Single,
    };

    private static string FeatureMessage(string name, string received) =>
        SchemaErrors.WrongTypeMessage("feature", name, "a known-size vector of Single", received);

    private static string LabelMessage(string name, NetworkTask task, string received) =>
        SchemaErrors.WrongTypeMessage("label", name,
            task == NetworkTask.Regression ? ExpectedLabel(task) + " for regression" : $"{ExpectedLabel(task)} for {task.ToString().ToLowerInvariant()} classification", received);

    private static string WeightMessage(string name, string received) =>
        SchemaErrors.WrongTypeMessage("example-weight", name, "Single", received);

    /// <summary>The column, or null: every missing column goes into the one message instead of throwing at the first.</summary>
    private static SchemaShape.Column? FindOrNull(SchemaShape schema, string name)
    {
        foreach (var c in schema)
        {
            if (c.Name == name)
                return c;
        }
        return null;
    }

    private static void Throw(List<string> problems)
    {
        if (problems.Count == 1)
            throw new ArgumentException(problems[0]);
        if (problems.Count > 1)
            throw new ArgumentException(string.Join(Environment.NewLine, problems));
    }
}
