using static TorchSharp.torch;

namespace MlNetDeep.Training;

/// <summary>Copies a trained module's layers (with their normalization) out of libtorch into managed arrays.</summary>
internal static class NetworkWeights
{
    public static IReadOnlyList<DenseLayer> From(DenseNetworkModule module)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var normalizations = module.Normalizations;
        return module.Layers.Select((l, i) => new DenseLayer(
            (int)l.weight!.shape[1],
            (int)l.weight.shape[0],
            Values(l.weight),
            Values(l.bias!),
            i < normalizations.Count ? Normalization(normalizations[i]) : null)).ToArray();
    }

    private static NormalizationWeights Normalization(NormalizationModule n) => new(
        n.Kind, n.Epsilon, Values(n.Gamma), Values(n.Beta),
        n.MovingMean is null ? null : Values(n.MovingMean), n.MovingVariance is null ? null : Values(n.MovingVariance));

    private static float[] Values(Tensor t) => t.detach().data<float>().ToArray();
}
