using System.Globalization;
using Microsoft.ML.Data;

namespace MlNetDeep;

/// <summary>
/// Weights per class that multiply each training row's loss (and its example weight), for imbalanced
/// classification (Keras' <c>class_weight</c>). Applied to the training rows only; the validation loss stays
/// unweighted by class, as in Keras. Binary and multiclass only.
/// </summary>
public sealed class ClassWeights
{
    private readonly IReadOnlyDictionary<object, double>? _weights;

    private ClassWeights(IReadOnlyDictionary<object, double>? weights) => _weights = weights;

    /// <summary>Weights inversely proportional to class frequency in the training rows: n_rows / (n_classes · n_class), as scikit-learn's "balanced".</summary>
    public static ClassWeights Balanced { get; } = new(null);

    /// <summary>True for <see cref="Balanced"/>.</summary>
    public bool IsBalanced => _weights is null;

    /// <summary>
    /// Explicit weights keyed by label value: Boolean for binary classification, the label's own values (before
    /// MapValueToKey) for multiclass. Classes not in the dictionary weigh 1.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="weights"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A weight is negative, NaN or infinite.</exception>
    public static ClassWeights FromDictionary<TLabel>(IReadOnlyDictionary<TLabel, double> weights) where TLabel : notnull
    {
        ArgumentNullException.ThrowIfNull(weights);
        foreach (var (label, weight) in weights)
        {
            if (!(weight >= 0) || double.IsInfinity(weight))
                throw new ArgumentOutOfRangeException(nameof(weights), weight, $"Invalid value for the weight of class {label}: expected a finite number >= 0. Received: {weight.ToString(CultureInfo.InvariantCulture)}.");
        }
        return new ClassWeights(weights.ToDictionary(p => Normalize(p.Key), p => p.Value));
    }

    /// <summary>One weight per class index (binary: 0 = false, 1 = true) for the given training labels.</summary>
    /// <exception cref="ArgumentException">A dictionary key is not one of the classes.</exception>
    internal double[] Resolve(int classCount, IReadOnlyList<object>? classValues, ReadOnlySpan<float> labels)
    {
        var counts = new long[classCount];
        if (_weights is null)
        {
            foreach (var label in labels)
                counts[(int)label]++;
        }
        return Resolve(classCount, classValues, counts, labels.Length);
    }

    /// <summary>One weight per class index from the training rows' class counts (<paramref name="counts"/> is read only by <see cref="Balanced"/>).</summary>
    /// <exception cref="ArgumentException">A dictionary key is not one of the classes.</exception>
    internal double[] Resolve(int classCount, IReadOnlyList<object>? classValues, long[] counts, long rows)
    {
        var result = new double[classCount];
        if (_weights is null)
        {
            for (int c = 0; c < classCount; c++)
                result[c] = counts[c] == 0 ? 1.0 : (double)rows / (classCount * counts[c]);
            return result;
        }
        var values = classValues ?? new object[] { false, true };
        Array.Fill(result, 1.0);
        foreach (var (key, weight) in _weights)
        {
            int index = -1;
            for (int c = 0; c < values.Count; c++)
            {
                if (Equals(Normalize(values[c]), key))
                {
                    index = c;
                    break;
                }
            }
            if (index < 0)
                throw new ArgumentException($"ClassWeights has a weight for {Describe(key)}, which is not one of the label's classes ({string.Join(", ", values.Select(v => Describe(Normalize(v))))}).");
            result[index] = weight;
        }
        return result;
    }

    private static object Normalize(object value) => value is ReadOnlyMemory<char> text ? text.ToString() : value;

    private static string Describe(object value) => value is string s ? $"'{s}'" : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
}
