using System.Globalization;
using System.Numerics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep;

/// <summary>Reads a label column once, as class names (for stratifying classes) or as numbers (for regression).</summary>
internal static class LabelValues
{
    /// <summary>Finds a scalar column, with errors naming the column and what was found.</summary>
    /// <exception cref="ArgumentException">The column is missing or is a vector.</exception>
    public static DataViewSchema.Column FindScalarColumn(IDataView data, string columnName, string role, string parameterName)
    {
        var column = FindColumn(data, columnName, role, parameterName);
        if (column.Type is VectorDataViewType)
            throw Common.SchemaErrors.WrongType(role, columnName, "a scalar", column.Type, parameterName);
        return column;
    }

    /// <summary>Finds a column by name, with an error listing the columns that exist.</summary>
    /// <exception cref="ArgumentException">The column is missing.</exception>
    public static DataViewSchema.Column FindColumn(IDataView data, string columnName, string role, string parameterName)
        => data.Schema.GetColumnOrNull(columnName)
            ?? throw Common.SchemaErrors.Missing(role, columnName, data.Schema, parameterName);

    /// <summary>Counts the rows of a data view (its declared count, or one pass of a cursor).</summary>
    public static int CountRows(IDataView data)
    {
        if (data.GetRowCount() is long n)
            return checked((int)n);
        int count = 0;
        using var cursor = data.GetRowCursor(Array.Empty<DataViewSchema.Column>());
        while (cursor.MoveNext())
            count++;
        return count;
    }

    /// <summary>
    /// Each row's class as text (invariant culture; a key's value name when the key has names); null for a missing
    /// value (NaN, missing key). Supports Boolean, key, text and every numeric type.
    /// </summary>
    /// <exception cref="ArgumentException">The column type is none of those.</exception>
    public static string?[] ReadClasses(IDataView data, DataViewSchema.Column column, string parameterName)
    {
        var type = column.Type;
        var raw = type.RawType;
        if (type is KeyDataViewType)
        {
            var names = KeyNames(column);
            string? Name(ulong key) => key == 0 ? null
                : names is not null && key <= (ulong)names.Length ? names[key - 1]
                : key.ToString(CultureInfo.InvariantCulture);
            if (raw == typeof(byte)) return Read<byte, string?>(data, column, v => Name(v));
            if (raw == typeof(ushort)) return Read<ushort, string?>(data, column, v => Name(v));
            if (raw == typeof(uint)) return Read<uint, string?>(data, column, v => Name(v));
            if (raw == typeof(ulong)) return Read<ulong, string?>(data, column, Name);
        }
        else if (raw == typeof(bool)) return Read<bool, string?>(data, column, v => v ? "True" : "False");
        else if (raw == typeof(ReadOnlyMemory<char>)) return Read<ReadOnlyMemory<char>, string?>(data, column, v => v.ToString());
        else if (raw == typeof(float)) return Read<float, string?>(data, column, Format);
        else if (raw == typeof(double)) return Read<double, string?>(data, column, Format);
        else if (raw == typeof(sbyte)) return Read<sbyte, string?>(data, column, Format);
        else if (raw == typeof(byte)) return Read<byte, string?>(data, column, Format);
        else if (raw == typeof(short)) return Read<short, string?>(data, column, Format);
        else if (raw == typeof(ushort)) return Read<ushort, string?>(data, column, Format);
        else if (raw == typeof(int)) return Read<int, string?>(data, column, Format);
        else if (raw == typeof(uint)) return Read<uint, string?>(data, column, Format);
        else if (raw == typeof(long)) return Read<long, string?>(data, column, Format);
        else if (raw == typeof(ulong)) return Read<ulong, string?>(data, column, Format);
        throw Common.SchemaErrors.WrongType("stratification", column.Name, "class labels (Boolean, key, text or numeric)", type, parameterName);
    }

    /// <summary>Each row's label as a number (NaN when missing), for regression labels.</summary>
    /// <exception cref="ArgumentException">The column is not numeric.</exception>
    public static double[] ReadNumbers(IDataView data, DataViewSchema.Column column, string parameterName)
    {
        var raw = column.Type.RawType;
        if (column.Type is not KeyDataViewType)
        {
            if (raw == typeof(float)) return Read<float, double>(data, column, ToDouble);
            if (raw == typeof(double)) return Read<double, double>(data, column, ToDouble);
            if (raw == typeof(sbyte)) return Read<sbyte, double>(data, column, ToDouble);
            if (raw == typeof(byte)) return Read<byte, double>(data, column, ToDouble);
            if (raw == typeof(short)) return Read<short, double>(data, column, ToDouble);
            if (raw == typeof(ushort)) return Read<ushort, double>(data, column, ToDouble);
            if (raw == typeof(int)) return Read<int, double>(data, column, ToDouble);
            if (raw == typeof(uint)) return Read<uint, double>(data, column, ToDouble);
            if (raw == typeof(long)) return Read<long, double>(data, column, ToDouble);
            if (raw == typeof(ulong)) return Read<ulong, double>(data, column, ToDouble);
        }
        throw Common.SchemaErrors.WrongType("label", column.Name, "a number (Single, Double or an integer type) to stratify a regression label", column.Type, parameterName);
    }

    private static string? Format<T>(T value) where T : INumberBase<T>
        => T.IsNaN(value) ? null : value.ToString(null, CultureInfo.InvariantCulture);

    private static double ToDouble<T>(T value) where T : INumberBase<T> => double.CreateTruncating(value);

    private static string[]? KeyNames(DataViewSchema.Column column)
    {
        var annotation = column.Annotations.Schema.GetColumnOrNull("KeyValues");
        if (annotation is not { Type: VectorDataViewType { ItemType: TextDataViewType } })
            return null;
        VBuffer<ReadOnlyMemory<char>> names = default;
        column.Annotations.GetValue("KeyValues", ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }

    private static TResult[] Read<TRaw, TResult>(IDataView data, DataViewSchema.Column column, Func<TRaw, TResult> convert)
    {
        var results = new List<TResult>();
        using var cursor = data.GetRowCursor(new[] { column });
        var getter = cursor.GetGetter<TRaw>(column);
        TRaw value = default!;
        while (cursor.MoveNext())
        {
            getter(ref value);
            results.Add(convert(value));
        }
        return results.ToArray();
    }
}
