using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>
/// A copy of a module's parameters and buffers (batch normalization's moving mean and variance) taken at the end of
/// an epoch (epoch 0: the initial weights), in managed memory.
/// </summary>
internal sealed class WeightSnapshot
{
    /// <summary>
    /// Rows per forward pass of <see cref="ScoresFinite"/>: its activations (rows × the widest layer) are freed chunk by
    /// chunk, but the C allocator keeps the largest resident; 8,192 rows of the lecture's 512 units held ~30 MB after
    /// Fit's last check, 1,024 rows hold 2 MB per layer. The answer does not depend on it.
    /// </summary>
    private const int Chunk = 1024;
    private readonly float[][] _values;

    private WeightSnapshot(int epoch, string name, float[][] values)
    {
        Epoch = epoch;
        Name = name;
        _values = values;
    }

    /// <summary>The epoch whose final weights these are; 0 for the initial weights (a warm start's: its initial model's last epoch).</summary>
    public int Epoch { get; }

    /// <summary>How StopReason calls them: "the initial weights", "the weights of epoch N", or the name given.</summary>
    public string Name { get; }

    /// <summary>"the initial weights" for epoch 0, else "the weights of epoch N".</summary>
    public static string NameOf(int epoch) => epoch == 0 ? "the initial weights" : $"the weights of epoch {epoch}";

    /// <summary>Copies the module's parameters, naming them by <paramref name="epoch"/> unless <paramref name="name"/> is given.</summary>
    public static WeightSnapshot Take(DenseNetworkModule module, int epoch, string? name = null)
    {
        using var scope = NewDisposeScope();
        return new WeightSnapshot(epoch, name ?? NameOf(epoch), State(module).Select(p => p.detach().data<float>().ToArray()).ToArray());
    }

    public void RestoreInto(DenseNetworkModule module)
    {
        using var noGrad = no_grad();
        int i = 0;
        foreach (var p in State(module))
        {
            using var source = tensor(_values[i++], p.shape);
            p.copy_(source);
        }
    }

    /// <summary>Everything training changes: the parameters, then the buffers (none without batch normalization).</summary>
    private static IEnumerable<Tensor> State(DenseNetworkModule module) => module.parameters().Cast<Tensor>().Concat(module.buffers());

    /// <summary>True when the module's outputs (logits or regression values) are finite on every row of <paramref name="set"/>, in inference mode.</summary>
    public static bool ScoresFinite(DenseNetworkModule module, IRowSource set)
    {
        module.eval();
        using var noGrad = no_grad();
        using var chunks = set.Chunks(Chunk);
        while (true)
        {
            using var scope = NewDisposeScope();
            if (chunks.Next() is not { } chunk)
                return true;
            var output = module.Forward(chunk.Features);
            if (!output.isfinite().all().item<bool>())
                return false;
        }
    }
}
