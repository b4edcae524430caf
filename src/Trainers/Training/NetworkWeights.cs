using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>Copies a trained module's layers out of libtorch into managed arrays.</summary>
internal static class NetworkWeights
{
    public static IReadOnlyList<DenseLayer> From(DenseNetworkModule module)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return module.Layers.Select(l => new DenseLayer(
            (int)l.weight!.shape[1],
            (int)l.weight.shape[0],
            l.weight.detach().data<float>().ToArray(),
            l.bias!.detach().data<float>().ToArray())).ToArray();
    }
}
