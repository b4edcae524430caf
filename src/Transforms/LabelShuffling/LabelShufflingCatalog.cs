using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Common;
using MlNetDeep.LabelShuffling;

namespace MlNetDeep;

/// <summary>
/// Label shuffling for the "fitting random labels" experiment: the labels are permuted across rows (each label
/// value keeps its count) while every feature stays in place, so a model can only memorize.
/// </summary>
/// <remarks>
/// This is a data operation (like <c>mlContext.Data.ShuffleRows</c>), not an estimator, on purpose: shuffling is
/// done once to a training set, whereas a transformer would also run on test data and inside a saved model,
/// destroying the labels it is evaluated against; and a permutation across rows is not a row-to-row mapping, so it
/// cannot be saved as one. To cross-validate a pipeline on random labels, shuffle first, then call
/// <c>CrossValidate</c> on the shuffled view.
/// </remarks>
public static class LabelShufflingCatalog
{
    /// <summary>
    /// Returns <paramref name="data"/> with the values of <paramref name="labelColumnName"/> permuted across rows by a
    /// seeded Fisher–Yates shuffle (<c>new Random(seed)</c>). The labels are read once, now; the other columns are
    /// read lazily from <paramref name="data"/>, which must give the same rows in the same order on every pass.
    /// </summary>
    /// <param name="catalog">The data-operations catalog.</param>
    /// <param name="data">The data whose labels are shuffled.</param>
    /// <param name="labelColumnName">A scalar column of any type.</param>
    /// <param name="seed">The permutation's seed; the default is 0.</param>
    /// <returns>A view with the same schema and rows whose label column is permuted; its cursors are sequential.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/>, <paramref name="data"/> or <paramref name="labelColumnName"/> is null.</exception>
    /// <exception cref="ArgumentException">The column is missing or not a scalar.</exception>
    public static IDataView ShuffleLabels(this DataOperationsCatalog catalog, IDataView data, string labelColumnName = "Label", int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(labelColumnName);
        return ShuffleLabels(catalog, data, new ShuffleLabelsOptions { LabelColumnName = labelColumnName, Seed = seed });
    }

    /// <summary>Returns <paramref name="data"/> with its label column permuted across rows as <paramref name="options"/> say.</summary>
    /// <param name="catalog">The data-operations catalog.</param>
    /// <param name="data">The data whose labels are shuffled.</param>
    /// <param name="options">The options; copied, never written back.</param>
    /// <returns>A view with the same schema and rows whose label column is permuted; its cursors are sequential.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/>, <paramref name="data"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The column is missing or not a scalar.</exception>
    public static IDataView ShuffleLabels(this DataOperationsCatalog catalog, IDataView data, ShuffleLabelsOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        var errors = new OptionErrors();
        errors.Check(!string.IsNullOrWhiteSpace(options.LabelColumnName), nameof(options.LabelColumnName), "a column name", options.LabelColumnName);
        errors.ThrowIfAny(nameof(ShuffleLabelsOptions), nameof(options));

        var column = SchemaChecks.Find(data.Schema, options.LabelColumnName, "label");
        if (column.Type is VectorDataViewType)
            throw SchemaChecks.WrongType(column.Name, "a scalar", SchemaChecks.Describe(column.Type), "label");
        var create = typeof(ShuffledLabelDataView<>).MakeGenericType(column.Type.RawType)
            .GetMethod(nameof(ShuffledLabelDataView<int>.Create), BindingFlags.Public | BindingFlags.Static)!;
        try
        {
            return (IDataView)create.Invoke(null, new object[] { data, column, options.Seed })!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
