using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Common;

namespace MlNetDeep.MutualInformation;

/// <summary>Reads a label column as a class index: Boolean (2 classes), key (one per value), Single/Double (equal-width bins).</summary>
internal sealed class LabelReader
{
    private readonly Kind _kind;
    private readonly string _column;
    private readonly int _labelBins;
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;
    private double _scale;

    private LabelReader(Kind kind, string column, int classes, int labelBins)
    {
        _kind = kind;
        _column = column;
        ClassCount = classes;
        _labelBins = labelBins;
    }

    private enum Kind { Boolean, Key, Single, Double }

    /// <summary>The number of classes (label bins for a regression label).</summary>
    public int ClassCount { get; private set; }

    /// <summary>Checks the label column's type and prepares to read it.</summary>
    /// <exception cref="ArgumentException">The column is missing or of another type.</exception>
    public static LabelReader Create(DataViewSchema schema, string column, int labelBins)
    {
        var type = SchemaChecks.Find(schema, column, "label").Type;
        return type switch
        {
            BooleanDataViewType => new LabelReader(Kind.Boolean, column, 2, 0),
            KeyDataViewType { Count: > 0 and <= int.MaxValue } k when k.RawType == typeof(uint) => new LabelReader(Kind.Key, column, (int)k.Count, 0),
            NumberDataViewType n when n == NumberDataViewType.Single => new LabelReader(Kind.Single, column, labelBins, labelBins),
            NumberDataViewType n when n == NumberDataViewType.Double => new LabelReader(Kind.Double, column, labelBins, labelBins),
            _ => throw SchemaChecks.WrongType(column, "Boolean, a UInt32 key of known count, Single or Double", SchemaChecks.Describe(type), "label"),
        };
    }

    /// <summary>A getter of the label as a double (NaN = unusable) for one cursor.</summary>
    public Func<double> Bind(DataViewRowCursor cursor)
    {
        var column = cursor.Schema[_column];
        switch (_kind)
        {
            case Kind.Boolean:
            {
                var g = cursor.GetGetter<bool>(column);
                bool v = false;
                return () => { g(ref v); return v ? 1 : 0; };
            }
            case Kind.Key:
            {
                var g = cursor.GetGetter<uint>(column);
                uint v = 0;
                return () => { g(ref v); return v == 0 ? double.NaN : v - 1; };
            }
            case Kind.Single:
            {
                var g = cursor.GetGetter<float>(column);
                float v = 0;
                return () => { g(ref v); return float.IsFinite(v) ? v : double.NaN; };
            }
            default:
            {
                var g = cursor.GetGetter<double>(column);
                double v = 0;
                return () => { g(ref v); return double.IsFinite(v) ? v : double.NaN; };
            }
        }
    }

    /// <summary>First pass: records the range of a regression label.</summary>
    public void Observe(Func<double> getter)
    {
        if (_kind is Kind.Single or Kind.Double)
        {
            double v = getter();
            if (v < _min) _min = v;
            if (v > _max) _max = v;
        }
    }

    /// <summary>Fixes the regression label's bins once its range is known.</summary>
    public void CompleteFirstPass() => _scale = _max > _min ? _labelBins / (_max - _min) : 0;

    /// <summary>The class index of the current row, or -1 to skip the row.</summary>
    public int Class(Func<double> getter)
    {
        double v = getter();
        if (double.IsNaN(v))
            return -1;
        if (_kind is Kind.Boolean or Kind.Key)
            return (int)v;
        int b = (int)((v - _min) * _scale);
        return b < 0 ? 0 : b >= _labelBins ? _labelBins - 1 : b;
    }
}
