namespace MlNetDeep.Training;

/// <summary>
/// The loss of the best constant prediction on a set of rows, in the training loss's own units (Keras' "sum over batch
/// size" reduction, example weights included, no penalty): the weighted class priors for classification (their
/// cross-entropy), the weighted mean of the targets for regression (its squared error or Huber loss).
/// </summary>
internal static class BaselineLoss
{
    /// <summary>The baseline loss of <paramref name="set"/>; 0 when every example weight is 0 or the labels are constant.</summary>
    public static double Of(TrainingSet set, NetworkTask task, RegressionLoss regressionLoss, int classes)
    {
        float[] labels = set.Labels;
        float[]? weights = set.Weights;
        int start = set.Start, end = set.Start + set.Rows;
        IEnumerable<(float Label, double Weight)> Rows()
        {
            for (int i = start; i < end; i++)
                yield return (labels[i], weights is null ? 1.0 : weights[i]);
        }
        return Of(Rows, set.Rows, task, regressionLoss, classes);
    }

    /// <summary>
    /// The baseline loss of <paramref name="count"/> rows that <paramref name="rows"/> enumerates as (label, weight),
    /// once for classification and twice for regression (the mean, then the errors); the sums run in row order, so a
    /// streamed pass gives the same bits as the rows in memory.
    /// </summary>
    public static double Of(Func<IEnumerable<(float Label, double Weight)>> rows, long count, NetworkTask task, RegressionLoss regressionLoss, int classes)
    {
        bool regression = task == NetworkTask.Regression;
        var share = regression ? null : new double[task == NetworkTask.Binary ? 2 : classes];
        double total = 0, mean = 0;
        foreach (var (label, weight) in rows())
        {
            total += weight;
            if (share is null)
                mean += weight * label;
            else
                share[(int)label] += weight;
        }
        if (total <= 0)
            return 0;

        if (share is null)
        {
            mean /= total;
            double loss = 0;
            foreach (var (label, weight) in rows())
                loss += weight * RegressionError(regressionLoss, label - mean);
            return loss / count;
        }

        // classification: q_k = weighted share of class k; loss = Σ w_i · (−ln q_{y_i}) / n
        double crossEntropy = 0;
        foreach (double s in share)
        {
            if (s > 0)
                crossEntropy -= s * Math.Log(s / total);
        }
        return crossEntropy / count;
    }

    private static double RegressionError(RegressionLoss loss, double error)
    {
        if (loss != RegressionLoss.Huber)
            return error * error;
        double a = Math.Abs(error);
        return a <= 1 ? 0.5 * error * error : a - 0.5; // Huber with delta 1, as Losses.DataLoss
    }
}
