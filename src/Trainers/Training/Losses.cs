using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MlNetDeep.Training;

/// <summary>Per-task data loss (Keras' "sum over batch size" reduction: Σ wᵢ·lᵢ / batch size) and correct-prediction counts.</summary>
internal static class Losses
{
    // created once for the process: TorchSharp frees implicitly converted Scalars only in finalizers, which
    // fragmented the native heap (see KerasRmsProp), and one no longer referenced while its native call runs can be
    // finalized under libtorch's feet when another thread's allocation triggers a GC (see TrainingScalars)
    private static readonly Scalar Zero = 0.0.ToScalar();
    private static readonly Scalar Half = 0.5.ToScalar();
    private static readonly Scalar One = 1.0.ToScalar();

    /// <summary>a + b, with no Scalar created per call (Tensor.add(Tensor) converts an implicit alpha of 1).</summary>
    public static Tensor Add(Tensor a, Tensor b) => a.add(b, One);

    /// <summary>
    /// x², as x·x: Tensor.square() is pow(2) with an implicitly converted Scalar (see TrainingScalars), and libtorch
    /// computes pow(x, 2) as x·x, so the values and gradients keep their bits (SquareTests checks both).
    /// </summary>
    public static Tensor Square(Tensor x) => x.mul(x);

    /// <summary>The mean data loss of a batch; <paramref name="weights"/> null means weight 1.</summary>
    public static Tensor DataLoss(NetworkTask task, RegressionLoss regressionLoss, Tensor output, Tensor targets, Tensor? weights)
    {
        Tensor perRow = task switch
        {
            NetworkTask.Binary => F.binary_cross_entropy_with_logits(output.squeeze(1), targets, reduction: nn.Reduction.None),
            NetworkTask.Multiclass => F.cross_entropy(output, targets, reduction: nn.Reduction.None),
            _ => regressionLoss == RegressionLoss.Huber
                ? F.huber_loss(output.squeeze(1), targets, reduction: nn.Reduction.None, delta: 1.0)
                : Square(output.squeeze(1) - targets),
        };
        return weights is null ? perRow.mean() : perRow.mul(weights).mean();
    }

    /// <summary>Number of correct predictions in a batch (classification only).</summary>
    public static Tensor Correct(NetworkTask task, Tensor output, Tensor targets) => task == NetworkTask.Binary
        ? output.squeeze(1).gt(Zero).eq(targets.gt(Half)).sum()
        : output.argmax(1).eq(targets).sum();

    /// <summary>
    /// <see cref="Correct"/>'s count, read from the tensors' memory in one managed pass where they are contiguous
    /// float32 outputs and float32 (binary) or int64 (multiclass) targets on the CPU, as the training loop's are: the
    /// four libtorch operations and the read of their result cost ~50 µs per batch on the lecture's model (2% of an
    /// epoch), the pass a microsecond. Otherwise it asks libtorch. Same answer either way (CorrectCountTests), NaN included.
    /// </summary>
    public static long CountCorrect(NetworkTask task, Tensor output, Tensor targets)
    {
        var targetType = task == NetworkTask.Binary ? ScalarType.Float32 : ScalarType.Int64;
        if (output.dtype != ScalarType.Float32 || targets.dtype != targetType || output.device_type != DeviceType.CPU || targets.device_type != DeviceType.CPU
            || output.dim() != 2 || !output.is_contiguous() || !targets.is_contiguous() || output.shape[0] != targets.numel() || output.numel() == 0)
        {
            using var count = Correct(task, output, targets);
            return count.item<long>();
        }
        var scores = MemoryMarshal.Cast<byte, float>(output.bytes);
        return task == NetworkTask.Binary
            ? CorrectSigns(scores, MemoryMarshal.Cast<byte, float>(targets.bytes))
            : CorrectArgMax(scores, (int)output.shape[1], MemoryMarshal.Cast<byte, long>(targets.bytes));
    }

    /// <summary>How many rows have (score &gt; 0) == (target &gt; 0.5), as <c>gt(0).eq(targets.gt(0.5))</c>: a NaN score predicts 0.</summary>
    internal static long CorrectSigns(ReadOnlySpan<float> scores, ReadOnlySpan<float> targets)
    {
        long correct = 0;
        for (int i = 0; i < scores.Length; i++)
            correct += (scores[i] > 0) == (targets[i] > 0.5f) ? 1 : 0;
        return correct;
    }

    /// <summary>How many rows' <see cref="ArgMax"/> is the target's class, as libtorch's <c>argmax(1).eq(targets)</c>.</summary>
    private static long CorrectArgMax(ReadOnlySpan<float> scores, int classes, ReadOnlySpan<long> targets)
    {
        long correct = 0;
        for (int r = 0; r < targets.Length; r++)
            correct += ArgMax(scores.Slice(r * classes, classes)) == targets[r] ? 1 : 0;
        return correct;
    }

    /// <summary>
    /// The class of a row's first maximal score, as libtorch's <c>argmax</c>: a NaN counts as the maximum (the first NaN
    /// wins), a tie goes to the lower class.
    /// </summary>
    internal static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        float top = row[0];
        for (int j = 1; j < row.Length && !float.IsNaN(top); j++)
        {
            if (row[j] > top || float.IsNaN(row[j]))
            {
                top = row[j];
                best = j;
            }
        }
        return best;
    }

    /// <summary>λ₁·Σ|w| + λ₂·Σw² over the kernels; null when both are zero.</summary>
    public static Tensor? Penalty(IEnumerable<Tensor> kernels, double l1, double l2)
    {
        if (l1 == 0 && l2 == 0)
            return null;
        using var l1Scalar = l1.ToScalar();
        using var l2Scalar = l2.ToScalar();
        Tensor? total = null;
        foreach (var w in kernels)
        {
            Tensor term = l1 > 0 && l2 > 0
                ? Add(w.abs().sum().mul(l1Scalar), Square(w).sum().mul(l2Scalar))
                : l1 > 0 ? w.abs().sum().mul(l1Scalar) : Square(w).sum().mul(l2Scalar);
            total = total is null ? term : Add(total, term);
        }
        return total;
    }
}
