using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Samples.Experiments.Lab;

/// <summary>
/// A binary classifier's precision-recall curve on scored rows: one point per threshold at which another positive is
/// found (highest threshold first, tied scores taken together), ending at recall 1.
/// </summary>
internal sealed class PrecisionRecall
{
    private PrecisionRecall(double[] recall, double[] precision)
    {
        Recall = recall;
        Precision = precision;
    }

    /// <summary>Recall at each point, rising.</summary>
    public IReadOnlyList<double> Recall { get; }

    /// <summary>Precision at each point.</summary>
    public IReadOnlyList<double> Precision { get; }

    /// <summary>The curve of a scored view's <c>Probability</c> against its Boolean <c>Label</c>.</summary>
    /// <exception cref="ArgumentException">The view has no positive row.</exception>
    public static PrecisionRecall Of(IDataView scored)
    {
        var probability = scored.GetColumn<float>("Probability").ToArray();
        var label = scored.GetColumn<bool>("Label").ToArray();
        int positives = label.Count(v => v);
        if (positives == 0)
            throw new ArgumentException("A precision-recall curve needs at least one positive row; the scored view has none.", nameof(scored));
        var order = Enumerable.Range(0, probability.Length).OrderByDescending(i => probability[i]).ToArray();
        var recall = new List<double>();
        var precision = new List<double>();
        int found = 0;
        for (int k = 0; k < order.Length; k++)
        {
            found += label[order[k]] ? 1 : 0;
            bool lastOfTie = k == order.Length - 1 || probability[order[k + 1]] != probability[order[k]];
            double r = (double)found / positives;
            if (lastOfTie && (recall.Count == 0 ? found > 0 : r > recall[^1] || k == order.Length - 1))
            {
                recall.Add(r);
                precision.Add((double)found / (k + 1));
            }
        }
        return new PrecisionRecall(recall.ToArray(), precision.ToArray());
    }

    /// <summary>The best precision at any threshold whose recall reaches <paramref name="recall"/>; NaN when none does.</summary>
    public double PrecisionAtRecall(double recall) => Recall.Zip(Precision)
        .Where(p => p.First >= recall - 1e-12)
        .Select(p => p.Second)
        .DefaultIfEmpty(double.NaN)
        .Max();
}
