using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep;

/// <summary>
/// A fitted model cut where the feature column its predictor reads gets its final value: the steps before the cut
/// (run once) and the steps after it (run once per permutation). Works on any <see cref="ITransformer"/> through
/// public ML.NET API only: output schemas tell which step produces a column.
/// </summary>
/// <remarks>
/// The predictor is the last step that produces the score column. The cut is after the last step before it that
/// produces the feature column, or before the first step when the data already holds the column. A nested
/// <see cref="TransformerChain{TLastTransformer}"/> is opened only when the feature column does not reach the step
/// holding the predictor, so a fitted pipeline and the chain <c>mlContext.Model.Load</c> returns for it (where a
/// component's wrapper becomes a nested chain) are cut at the same place.
/// </remarks>
internal sealed class ModelSplit
{
    private ModelSplit(IReadOnlyList<ITransformer> prefix, IReadOnlyList<ITransformer> suffix, DataViewSchema.Column featureColumn, DataViewSchema outputSchema)
    {
        Prefix = prefix;
        Suffix = suffix;
        FeatureColumn = featureColumn;
        OutputSchema = outputSchema;
    }

    /// <summary>The steps that produce the feature column.</summary>
    public IReadOnlyList<ITransformer> Prefix { get; }

    /// <summary>The steps that read it, the predictor among them.</summary>
    public IReadOnlyList<ITransformer> Suffix { get; }

    /// <summary>The feature column in the prefix's output schema.</summary>
    public DataViewSchema.Column FeatureColumn { get; }

    /// <summary>The whole model's output schema.</summary>
    public DataViewSchema OutputSchema { get; }

    public IDataView ApplyPrefix(IDataView data) => Apply(Prefix, data);

    public IDataView ApplySuffix(IDataView data) => Apply(Suffix, data);

    /// <exception cref="ArgumentException">The model produces no score column, or the feature column is missing or not a known-size vector of Single.</exception>
    public static ModelSplit Find(ITransformer model, DataViewSchema inputSchema, string featureColumnName, string scoreColumnName)
    {
        var steps = model is IEnumerable<ITransformer> chain ? chain.ToList() : new List<ITransformer> { model };
        string[]? candidates = null;
        while (true)
        {
            var schemas = new DataViewSchema[steps.Count + 1];
            schemas[0] = inputSchema;
            for (int i = 0; i < steps.Count; i++)
                schemas[i + 1] = steps[i].GetOutputSchema(schemas[i]);
            int predictor = LastProducer(schemas, scoreColumnName, steps.Count);
            if (predictor < 0)
                throw new ArgumentException(
                    Common.SchemaErrors.MissingMessage("score", scoreColumnName, schemas[^1]) +
                    $" (Looked in the model's output: permutation feature importance evaluates a predictor's '{scoreColumnName}'.)", nameof(model));
            if (schemas[predictor].GetColumnOrNull(featureColumnName) is not null)
            {
                // -1: no step before the predictor writes the column, so it comes from the data
                int producer = LastProducer(schemas, featureColumnName, predictor);
                var column = CheckFeatureType(schemas[producer + 1], featureColumnName);
                return new ModelSplit(steps.Take(producer + 1).ToArray(), steps.Skip(producer + 1).ToArray(), column, schemas[^1]);
            }
            // the columns a user can name are those reaching the outermost step that holds the predictor
            candidates ??= schemas[predictor].Where(c => !c.IsHidden && IsKnownSizeSingleVector(c.Type)).Select(c => c.Name).ToArray();
            if (steps[predictor] is IEnumerable<ITransformer> inner)
            {
                // the feature column is made inside the step that holds the predictor: look inside it
                steps = steps.Take(predictor).Concat(inner).Concat(steps.Skip(predictor + 1)).ToList();
                continue;
            }
            // "available" here means the known-size Single vector columns reaching the predictor: the only ones it could read
            throw new ArgumentException(
                Common.SchemaErrors.MissingMessage("feature", featureColumnName, candidates)
                + $" (Looked in the data and in the output of every step before the predictor, the step that produces '{scoreColumnName}'; only known-size Single vector columns are listed.)",
                nameof(featureColumnName));
        }
    }

    /// <summary>The index of the last step among the first <paramref name="count"/> whose output (re)defines the column; -1 for none.</summary>
    private static int LastProducer(DataViewSchema[] schemas, string name, int count)
    {
        for (int i = count - 1; i >= 0; i--)
        {
            if (schemas[i + 1].GetColumnOrNull(name) is not { } after)
                continue;
            // a transformer that writes a column adds a new one (the old one becomes hidden), so its index changes
            if (schemas[i].GetColumnOrNull(name) is not { } before || before.Index != after.Index || !before.Type.Equals(after.Type))
                return i;
        }
        return -1;
    }

    private static DataViewSchema.Column CheckFeatureType(DataViewSchema schema, string name)
    {
        var column = schema[name];
        if (!IsKnownSizeSingleVector(column.Type))
            throw Common.SchemaErrors.WrongType("feature", name, "a known-size vector of Single", column.Type, "featureColumnName");
        return column;
    }

    private static bool IsKnownSizeSingleVector(DataViewType type)
        => type is VectorDataViewType { IsKnownSize: true } v && v.ItemType == NumberDataViewType.Single;

    private static IDataView Apply(IReadOnlyList<ITransformer> steps, IDataView data)
    {
        foreach (var step in steps)
            data = step.Transform(data);
        return data;
    }
}
