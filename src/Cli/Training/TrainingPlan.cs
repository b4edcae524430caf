using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Cli.Data;

namespace MlNetDeep.Cli.Training;

/// <summary>The three tasks the command line trains.</summary>
internal enum TaskKind
{
    Binary,
    Multiclass,
    Regression,
}

/// <summary>
/// How a file becomes a model: the task (given or inferred from the label column), how the label is mapped, and the
/// featurization of every other column — numbers with missing values replaced by the mean and standardized,
/// true/false as 0/1, categories one-hot, free text as a bag of words over its 10,000 most frequent words.
/// </summary>
internal sealed class TrainingPlan
{
    public const string FeatureColumn = "Features";
    public const string LabelColumn = "Label";

    private TrainingPlan(TabularFile file, TabularColumn label, TaskKind task, string? positiveClass, IReadOnlyList<TabularColumn> features)
    {
        File = file;
        Label = label;
        Task = task;
        PositiveClass = positiveClass;
        Features = features;
    }

    public TabularFile File { get; }

    public TabularColumn Label { get; }

    public TaskKind Task { get; }

    /// <summary>For binary tasks whose label is not Boolean: the value read as true.</summary>
    public string? PositiveClass { get; }

    public IReadOnlyList<TabularColumn> Features { get; }

    /// <summary>Decides the task and the featurization.</summary>
    /// <exception cref="ArgumentException">The label column is missing, has one value, or cannot serve the requested task.</exception>
    public static TrainingPlan Create(TabularFile file, string labelColumn, TaskKind? requested, IReadOnlyCollection<string> ignored)
    {
        var label = file[labelColumn];
        foreach (var name in ignored)
            _ = file[name];
        if (label.DistinctCount < 2)
            throw new ArgumentException($"Column '{labelColumn}' has {label.DistinctCount} distinct value(s) in the first {file.SampledRows} rows: there is nothing to learn.");
        var task = requested ?? Infer(label);
        if (task == TaskKind.Regression && label.Kind != ColumnKind.Numeric)
            throw new ArgumentException($"--task regression needs a numeric label; column '{labelColumn}' holds {label.Kind.ToString().ToLowerInvariant()} values such as '{label.DistinctValues[0]}'.");
        if (task == TaskKind.Binary && label.DistinctCount != 2)
            throw new ArgumentException($"--task binary needs a label with two values; column '{labelColumn}' has {label.DistinctCount} ({string.Join(", ", label.DistinctValues.Take(5))}...). Use --task multiclass.");
        string? positive = task == TaskKind.Binary && label.Kind != ColumnKind.Boolean ? PositiveValue(label) : null;
        var features = file.Columns.Where(c => c != label && !ignored.Contains(c.Name) && c.DistinctCount > 1).ToArray();
        if (features.Length == 0)
            throw new ArgumentException($"No feature columns are left besides the label '{labelColumn}' (constant and ignored columns are dropped).");
        return new TrainingPlan(file, label, task, positive, features);
    }

    private static TaskKind Infer(TabularColumn label) => label switch
    {
        { DistinctCount: 2 } => TaskKind.Binary,
        { Kind: ColumnKind.Numeric, DistinctCount: > 20 } => TaskKind.Regression,
        _ => TaskKind.Multiclass,
    };

    /// <summary>The larger of two numbers (1 of 0/1, 4 of 2/4), else the rarer of two strings: the class one usually looks for (spam, disease).</summary>
    private static string PositiveValue(TabularColumn label)
    {
        if (label.Kind == ColumnKind.Numeric)
            return label.DistinctValues.MaxBy(v => float.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture))!;
        return label.ValueCounts.OrderBy(kv => kv.Value).ThenByDescending(kv => kv.Key, StringComparer.Ordinal).First().Key;
    }

    /// <summary>The label mapping and the featurization, ending in "Label" and "Features" columns.</summary>
    public IEstimator<ITransformer> Featurize(MLContext ml)
    {
        IEstimator<ITransformer> pipeline = new EstimatorChain<ITransformer>();
        var parts = new List<string>();
        var numeric = Features.Where(c => c.Kind == ColumnKind.Numeric).Select(c => c.Name).ToArray();
        if (numeric.Length > 0)
        {
            pipeline = pipeline.Append(ml.Transforms.Concatenate("__numeric", numeric))
                .Append(ml.Transforms.ReplaceMissingValues("__numeric", replacementMode: Microsoft.ML.Transforms.MissingValueReplacingEstimator.ReplacementMode.Mean))
                .Append(ml.Transforms.NormalizeMeanVariance("__numeric"));
            parts.Add("__numeric");
        }
        int i = 0;
        foreach (var column in Features.Where(c => c.Kind != ColumnKind.Numeric))
        {
            string output = $"__f{i++}";
            pipeline = column.Kind switch
            {
                ColumnKind.Boolean => pipeline.Append(ml.Transforms.Conversion.ConvertType(output, column.Name, DataKind.Single)),
                ColumnKind.Categorical => pipeline.Append(ml.Transforms.Categorical.OneHotEncoding(output, column.Name)),
                _ => pipeline.Append(ml.Transforms.Text.VectorizeBagOfWords(output, column.Name)),
            };
            parts.Add(output);
        }
        pipeline = pipeline.Append(ml.Transforms.Concatenate(FeatureColumn, parts.ToArray()));
        return Task switch
        {
            TaskKind.Multiclass => pipeline.Append(ml.Transforms.Conversion.MapValueToKey(LabelColumn, Label.Name)),
            TaskKind.Binary when Label.Kind == ColumnKind.Boolean => pipeline.Append(ml.Transforms.CopyColumns(LabelColumn, Label.Name)),
            TaskKind.Binary when Label.Kind == ColumnKind.Numeric => pipeline.Append(ml.Transforms.Conversion.MapValue(LabelColumn,
                Label.DistinctValues.Select(v => new KeyValuePair<float, bool>(float.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture), v == PositiveClass)), Label.Name)),
            TaskKind.Binary => pipeline.Append(ml.Transforms.Conversion.MapValue(LabelColumn,
                Label.DistinctValues.Select(v => new KeyValuePair<string, bool>(v, v == PositiveClass)), Label.Name)),
            _ => Label.Name == LabelColumn ? pipeline : pipeline.Append(ml.Transforms.CopyColumns(LabelColumn, Label.Name)),
        };
    }

    /// <summary>The columns and kinds as Markdown table rows.</summary>
    public IEnumerable<string> DescribeColumns() => File.Columns.Select(c => string.Create(CultureInfo.InvariantCulture,
        $"| {c.Name} | {(c == Label ? "label" : Features.Contains(c) ? c.Kind.ToString().ToLowerInvariant() : "dropped")} | {c.DistinctCount} | {string.Join(", ", c.DistinctValues.Take(3).Select(v => v.Length > 20 ? v[..20] + "…" : v))} |"));
}
