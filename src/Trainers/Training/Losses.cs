using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MlNetDeep.Training;

/// <summary>Per-task data loss (Keras' "sum over batch size" reduction: Σ wᵢ·lᵢ / batch size) and correct-prediction counts.</summary>
internal static class Losses
{
    /// <summary>The mean data loss of a batch; <paramref name="weights"/> null means weight 1.</summary>
    public static Tensor DataLoss(NetworkTask task, RegressionLoss regressionLoss, Tensor output, Tensor targets, Tensor? weights)
    {
        Tensor perRow = task switch
        {
            NetworkTask.Binary => F.binary_cross_entropy_with_logits(output.squeeze(1), targets, reduction: nn.Reduction.None),
            NetworkTask.Multiclass => F.cross_entropy(output, targets, reduction: nn.Reduction.None),
            _ => regressionLoss == RegressionLoss.Huber
                ? F.huber_loss(output.squeeze(1), targets, reduction: nn.Reduction.None, delta: 1.0)
                : (output.squeeze(1) - targets).square(),
        };
        return weights is null ? perRow.mean() : perRow.mul(weights).mean();
    }

    /// <summary>Number of correct predictions in a batch (classification only).</summary>
    public static Tensor Correct(NetworkTask task, Tensor output, Tensor targets) => task == NetworkTask.Binary
        ? output.squeeze(1).gt(0).eq(targets.gt(0.5)).sum()
        : output.argmax(1).eq(targets).sum();

    /// <summary>λ₁·Σ|w| + λ₂·Σw² over the kernels; null when both are zero.</summary>
    public static Tensor? Penalty(IEnumerable<Tensor> kernels, double l1, double l2)
    {
        if (l1 == 0 && l2 == 0)
            return null;
        Tensor? total = null;
        foreach (var w in kernels)
        {
            Tensor term = l1 > 0 && l2 > 0
                ? w.abs().sum().mul(l1).add(w.square().sum().mul(l2))
                : l1 > 0 ? w.abs().sum().mul(l1) : w.square().sum().mul(l2);
            total = total is null ? term : total.add(term);
        }
        return total;
    }
}
