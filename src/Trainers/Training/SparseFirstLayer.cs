using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>How the first layer multiplies a sparse batch (both give the same sums up to float rounding).</summary>
internal enum SparseKernel
{
    /// <summary>
    /// Gathers the kernel's columns of the batch's non-zeros, scales them by the values and adds them up per row
    /// (index_select, mul, index_add): work and memory in proportion to non-zeros × units.
    /// </summary>
    Gather,

    /// <summary>libtorch's sparse COO × dense matrix product (torch.sparse_coo_tensor(...).mm(W.t())).</summary>
    SparseMatrix,
}

/// <summary>
/// The first Dense layer on a sparse batch: y = x·Wᵀ + b with x given by its non-zeros, differentiable with respect
/// to W and b by libtorch's autograd (the gradient of W is dense, as Keras' for a sparse input).
/// </summary>
internal static class SparseFirstLayer
{
    /// <summary>The kernel training uses; the benchmark switches it to compare the two.</summary>
    internal static SparseKernel Kernel { get; set; } = SparseKernel.Gather;

    /// <summary>index_add's alpha, held alive (an implicitly converted 1.0 could be finalized mid-call: <see cref="TrainingScalars"/>).</summary>
    private static readonly Scalar One = 1.0.ToScalar();

    public static Tensor Forward(Linear layer, FeatureBatch batch)
    {
        var weight = layer.weight!; // [units, width]
        var bias = layer.bias!;
        // without gradients (validation losses, the divergence guard's check, chunks of thousands of rows) the sparse
        // product needs no [units, non-zeros] intermediate: gathering would hold units × the chunk's non-zeros floats
        if (Kernel == SparseKernel.SparseMatrix || !is_grad_enabled())
        {
            var indices = stack(new[] { batch.Rows!, batch.Columns! });
            var x = sparse_coo_tensor(indices, batch.Values!, new[] { batch.Count, batch.Width });
            return Losses.Add(x.mm(weight.t()), bias); // add(Tensor) would convert an implicit alpha of 1: TrainingScalars
        }
        // [units, nnz]: each non-zero's kernel column times its value, summed into its row's column of [units, rows]
        var picked = weight.index_select(1, batch.Columns!).mul(batch.Values!);
        var sums = zeros(weight.shape[0], batch.Count).index_add(1, batch.Rows!, picked, One);
        return Losses.Add(sums.t(), bias);
    }
}
