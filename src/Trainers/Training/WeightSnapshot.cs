using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>
/// A copy of a module's parameters and buffers (batch normalization's moving mean and variance) taken at the end of
/// an epoch (epoch 0: the initial weights), in managed memory.
/// </summary>
internal sealed class WeightSnapshot
{
    private const int Chunk = 8192;
    private readonly float[][] _values;

    private WeightSnapshot(int epoch, float[][] values)
    {
        Epoch = epoch;
        _values = values;
    }

    /// <summary>The epoch whose final weights these are; 0 for the initial weights.</summary>
    public int Epoch { get; }

    /// <summary>"the initial weights" or "the weights of epoch N".</summary>
    public string Name => Epoch == 0 ? "the initial weights" : $"the weights of epoch {Epoch}";

    public static WeightSnapshot Take(DenseNetworkModule module, int epoch)
    {
        using var scope = NewDisposeScope();
        return new WeightSnapshot(epoch, State(module).Select(p => p.detach().data<float>().ToArray()).ToArray());
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
    public static bool ScoresFinite(DenseNetworkModule module, TensorSet set)
    {
        module.eval();
        using var noGrad = no_grad();
        for (int start = 0; start < set.Rows; start += Chunk)
        {
            using var scope = NewDisposeScope();
            var output = module.forward(set.Features.narrow(0, start, Math.Min(Chunk, set.Rows - start)));
            if (!output.isfinite().all().item<bool>())
                return false;
        }
        return true;
    }
}
