using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Common;

/// <summary>Schema checks shared by the transforms; messages name the column, the expected and the received type.</summary>
internal static class SchemaChecks
{
    /// <summary>Finds a column of a schema shape or throws naming it, its role and the columns there are.</summary>
    /// <exception cref="ArgumentException">The column is missing.</exception>
    public static SchemaShape.Column Find(SchemaShape schema, string column, string role = "input")
    {
        foreach (var c in schema)
        {
            if (c.Name == column)
                return c;
        }
        throw SchemaErrors.Missing(role, column, schema, "inputSchema");
    }

    /// <summary>Finds a column of a data view schema or throws naming it, its role and the columns there are.</summary>
    /// <exception cref="ArgumentException">The column is missing.</exception>
    public static DataViewSchema.Column Find(DataViewSchema schema, string column, string role = "input")
    {
        var found = schema.GetColumnOrNull(column);
        if (found is null)
            throw SchemaErrors.Missing(role, column, schema, "inputSchema");
        return found.Value;
    }

    /// <summary>Requires a known-size vector of Single and returns its size.</summary>
    /// <exception cref="ArgumentException">The column is missing or has another type.</exception>
    public static int KnownSizeSingleVector(DataViewSchema schema, string column)
    {
        var type = Find(schema, column).Type;
        if (type is VectorDataViewType { ItemType: NumberDataViewType n, IsKnownSize: true } v && n == NumberDataViewType.Single)
            return v.Size;
        throw WrongType(column, "a known-size vector of Single", Describe(type));
    }

    /// <summary>Requires a known-size vector of Single (a schema shape carries no size, so only kind and item type are checked).</summary>
    /// <exception cref="ArgumentException">The column is missing or has another type.</exception>
    public static void KnownSizeSingleVector(SchemaShape schema, string column)
    {
        var c = Find(schema, column);
        if (c.Kind != SchemaShape.Column.VectorKind.Vector || c.ItemType != NumberDataViewType.Single || c.IsKey)
            throw WrongType(column, "a known-size vector of Single", Describe(c));
    }

    /// <summary>An exception for a column of the wrong type (<see cref="SchemaErrors"/> wording).</summary>
    public static ArgumentException WrongType(string column, string expected, string received, string role = "input")
        => SchemaErrors.WrongType(role, column, expected, received, "inputSchema");

    /// <summary>Describes a column type the way the messages print it.</summary>
    public static string Describe(DataViewType type) => type switch
    {
        VectorDataViewType { IsKnownSize: false } v => $"Vector<{Describe(v.ItemType)}> of unknown size",
        VectorDataViewType v => $"Vector<{Describe(v.ItemType)}, {v.Size}>",
        KeyDataViewType k => $"Key<{k.RawType.Name}, {k.Count}>",
        TextDataViewType => "String",
        _ => type.ToString() ?? type.GetType().Name,
    };

    /// <summary>Describes a schema-shape column the way the messages print it.</summary>
    public static string Describe(SchemaShape.Column c)
    {
        var item = c.IsKey ? $"Key<{c.ItemType.RawType.Name}>" : Describe(c.ItemType);
        return c.Kind switch
        {
            SchemaShape.Column.VectorKind.Scalar => item,
            SchemaShape.Column.VectorKind.Vector => $"Vector<{item}>",
            _ => $"Vector<{item}> of unknown size",
        };
    }
}
