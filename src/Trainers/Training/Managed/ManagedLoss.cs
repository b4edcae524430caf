using System.Runtime.CompilerServices;
namespace MlNetDeep.Training.Managed;

/// <summary>
/// The data losses of <see cref="Losses.DataLoss"/> on managed outputs, with their gradients: binary cross-entropy
/// on logits, softmax cross-entropy, squared error and Huber (delta 1), each row's loss times its weight, summed and
/// divided by the batch size (Keras' "sum over batch size"). Per-row arithmetic is in double and rounded to float
/// once, which is at least as close to the exact value as libtorch's float kernels.
/// </summary>
internal static class ManagedLoss
{
    /// <summary>
    /// The mean weighted loss of <paramref name="count"/> rows of <paramref name="output"/> ([count, outputs]) against
    /// <paramref name="labels"/> (0/1, class index or value), writing d loss / d output into <paramref name="gradient"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float LossAndGradient(NetworkTask task, RegressionLoss regressionLoss, ReadOnlySpan<float> output, int outputs,
        ReadOnlySpan<float> labels, ReadOnlySpan<float> weights, int count, Span<float> gradient)
    {
        double sum = 0;
        double scale = 1.0 / count;
        for (int r = 0; r < count; r++)
        {
            double w = weights.IsEmpty ? 1.0 : weights[r];
            double y = labels[r];
            double loss, dz;
            switch (task)
            {
                case NetworkTask.Binary:
                {
                    double z = output[r];
                    double maxValue = Math.Max(-z, 0);
                    loss = (1 - y) * z + maxValue + Math.Log(Math.Exp(-maxValue) + Math.Exp(-z - maxValue)); // libtorch's stable form
                    dz = 1.0 / (1.0 + Math.Exp(-z)) - y;
                    break;
                }
                case NetworkTask.Multiclass:
                {
                    var logits = output.Slice(r * outputs, outputs);
                    var g = gradient.Slice(r * outputs, outputs);
                    double max = double.NegativeInfinity;
                    foreach (float v in logits)
                        max = Math.Max(max, v);
                    double total = 0;
                    foreach (float v in logits)
                        total += Math.Exp(v - max);
                    double logTotal = Math.Log(total) + max;
                    int label = (int)y;
                    loss = logTotal - logits[label];
                    for (int k = 0; k < outputs; k++)
                        g[k] = (float)((Math.Exp(logits[k] - logTotal) - (k == label ? 1 : 0)) * w * scale);
                    sum += w * loss;
                    continue;
                }
                default:
                {
                    double d = output[r] - y;
                    if (regressionLoss == RegressionLoss.Huber)
                    {
                        double a = Math.Abs(d);
                        loss = a < 1 ? 0.5 * d * d : a - 0.5;
                        dz = Math.Clamp(d, -1, 1);
                    }
                    else
                    {
                        loss = d * d;
                        dz = 2 * d;
                    }
                    break;
                }
            }
            gradient[r] = (float)(dz * w * scale);
            sum += w * loss;
        }
        return (float)(sum * scale);
    }

    /// <summary>Correct predictions among <paramref name="count"/> rows, counted as the libtorch engine counts them (<see cref="Losses.CorrectSigns"/>, <see cref="Losses.ArgMax"/>); multiclass labels hold the class index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Correct(NetworkTask task, ReadOnlySpan<float> output, int outputs, ReadOnlySpan<float> labels, int count)
    {
        if (task == NetworkTask.Binary)
            return (int)Losses.CorrectSigns(output[..count], labels[..count]);
        int correct = 0;
        for (int r = 0; r < count; r++)
        {
            if (Losses.ArgMax(output.Slice(r * outputs, outputs)) == (int)labels[r])
                correct++;
        }
        return correct;
    }

    /// <summary>λ₁·Σ|w| + λ₂·Σw² over the kernels (the value <see cref="Losses.Penalty"/> adds), adding its gradient λ₁·sign(w) + 2λ₂·w to the kernel gradients.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Penalty(ManagedNetwork network, double l1, double l2)
    {
        if (l1 == 0 && l2 == 0)
            return 0;
        float l1f = (float)l1, twoL2 = (float)(2 * l2);
        double total = 0;
        for (int l = 0; l < network.Kernels.Length; l++)
        {
            var w = network.Kernels[l];
            var g = network.KernelGradients[l];
            double absolute = 0, squares = 0;
            for (int i = 0; i < w.Length; i++)
            {
                float v = w[i];
                absolute += Math.Abs(v);
                squares += (double)v * v;
                g[i] += l1f * (v > 0 ? 1f : v < 0 ? -1f : 0f) + twoL2 * v; // MathF.Sign throws on NaN
            }
            total += l1 * absolute + l2 * squares;
        }
        return (float)total;
    }
}
