using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>
/// A float32 CPU tensor's own memory as spans, for managed passes over parameters, gradients and optimizer state
/// (<see cref="FusedSteps"/>). TorchSharp's <c>Tensor.bytes</c> returns at most 2 GB at a time, so a larger tensor
/// (a very wide first layer) comes as consecutive blocks of one flat view.
/// </summary>
internal static class TensorMemory
{
    /// <summary>Elements per block: 2 GB of bytes less one block's alignment, a multiple of every vector width.</summary>
    internal const long BlockElements = (int.MaxValue / sizeof(float)) & ~1023L;

    /// <summary>Throws unless <paramref name="tensor"/> can be written through spans: float32, on the CPU, contiguous.</summary>
    public static void CheckWritable(Tensor tensor, string what)
    {
        if (tensor.dtype != ScalarType.Float32 || tensor.device_type != DeviceType.CPU || !tensor.is_contiguous())
            throw new InvalidOperationException($"{what} must be a contiguous float32 CPU tensor for the fused optimizer step; received {tensor.dtype} on {tensor.device_type}, contiguous: {tensor.is_contiguous()}.");
    }

    /// <summary>The number of blocks <see cref="Block"/> splits a tensor of <paramref name="elements"/> into.</summary>
    public static int Blocks(long elements) => (int)((elements + BlockElements - 1) / BlockElements);

    /// <summary>
    /// Block <paramref name="index"/> of the elements of <paramref name="tensor"/> (a checked one, see
    /// <see cref="CheckWritable"/>) in memory order. The span points into libtorch's memory: use it before anything
    /// frees or resizes the tensor.
    /// </summary>
    public static Span<float> Block(Tensor tensor, int index)
    {
        long elements = tensor.numel();
        if (elements <= BlockElements)
            return MemoryMarshal.Cast<byte, float>(tensor.bytes);
        long start = index * BlockElements;
        using var flat = tensor.view(-1);
        using var part = flat.narrow(0, start, Math.Min(BlockElements, elements - start));
        return MemoryMarshal.Cast<byte, float>(part.bytes); // a view: the storage stays the tensor's
    }
}
