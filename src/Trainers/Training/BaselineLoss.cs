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
        var labels = set.Labels.AsSpan(set.Start, set.Rows);
        float[]? weights = set.Weights;
        int offset = set.Start;
        double Weight(int i) => weights is null ? 1.0 : weights[offset + i];

        double total = 0;
        for (int i = 0; i < labels.Length; i++)
            total += Weight(i);
        if (total <= 0)
            return 0;

        if (task == NetworkTask.Regression)
        {
            double mean = 0;
            for (int i = 0; i < labels.Length; i++)
                mean += Weight(i) * labels[i];
            mean /= total;
            double loss = 0;
            for (int i = 0; i < labels.Length; i++)
                loss += Weight(i) * RegressionError(regressionLoss, labels[i] - mean);
            return loss / set.Rows;
        }

        // classification: q_k = weighted share of class k; loss = Σ w_i · (−ln q_{y_i}) / n
        var share = new double[task == NetworkTask.Binary ? 2 : classes];
        for (int i = 0; i < labels.Length; i++)
            share[(int)labels[i]] += Weight(i);
        double crossEntropy = 0;
        foreach (double s in share)
        {
            if (s > 0)
                crossEntropy -= s * Math.Log(s / total);
        }
        return crossEntropy / set.Rows;
    }

    private static double RegressionError(RegressionLoss loss, double error)
    {
        if (loss != RegressionLoss.Huber)
            return error * error;
        double a = Math.Abs(error);
        return a <= 1 ? 0.5 * error * error : a - 0.5; // Huber with delta 1, as Losses.DataLoss
    }
}
