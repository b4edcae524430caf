using System.Globalization;
using Microsoft.ML;

namespace MlNetDeep.State;

/// <summary>
/// Hands a computed vector to ML.NET's Expression transform, which gives it a known size and slot names: a
/// CustomMapping writes the values as fixed-width text ("E8": nine significant digits, which round-trips every
/// finite Single exactly through ML.NET's parser), and the Expression reads slot i of that text for slot i of a
/// <see cref="StateLookup.NamedVector"/> template holding 0, 1, …, K−1. CustomMapping row types fix vector sizes
/// at compile time and cannot carry slot names after <c>Model.Load</c>; the Expression transform keeps its input
/// vector's size and slot names, and saves as a standard ML.NET transformer.
/// </summary>
internal static class SlotText
{
    /// <summary>Characters per value.</summary>
    public const int Width = 16;

    /// <summary>Writes <paramref name="values"/> as fixed-width text.</summary>
    public static string Write(float[] values) =>
        string.Create(values.Length * Width, values, static (span, items) =>
        {
            span.Fill(' ');
            for (int i = 0; i < items.Length; i++)
            {
                if (!items[i].TryFormat(span.Slice(i * Width, Width), out _, "E8", CultureInfo.InvariantCulture))
                    throw new InvalidOperationException($"Value {items[i]} does not fit {Width} characters.");
            }
        });

    /// <summary>
    /// The Expression transform writing <paramref name="outputColumn"/>: slot i = the i-th value of the text in
    /// <paramref name="textColumn"/>; size and slot names are those of <paramref name="templateColumn"/>, whose slot i holds i.
    /// </summary>
    public static IEstimator<ITransformer> Fill(MLContext ml, string outputColumn, string templateColumn, string textColumn) =>
        ml.Transforms.Expression(outputColumn,
            string.Create(CultureInfo.InvariantCulture, $"(slot, text) => float(mid(text, int(slot) * {Width}, int(slot) * {Width} + {Width}))"),
            templateColumn, textColumn);
}
