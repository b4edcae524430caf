using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep;

/// <summary>
/// The fitted noise-channel transform: where the channels are (<see cref="NoiseChannelRange"/>, for selection and
/// ablation) and how they were made. See <see cref="NoiseChannelEstimator"/> for exactly what it appends, before
/// and after <c>Model.Load</c>.
/// </summary>
public sealed class NoiseChannelTransformer : ComposedTransformer
{
    private readonly string[] _slotNames;

    internal NoiseChannelTransformer(TransformerChain<ITransformer> inner, SlotRange noiseChannelRange, NoiseKind kind, int seed, string[] slotNames)
        : base(inner)
    {
        NoiseChannelRange = noiseChannelRange;
        Kind = kind;
        Seed = seed;
        _slotNames = slotNames;
    }

    /// <summary>The output slots holding noise: they start right after the input's slots.</summary>
    public SlotRange NoiseChannelRange { get; }

    /// <summary>The distribution of the channels.</summary>
    public NoiseKind Kind { get; }

    /// <summary>The seed the noise was drawn with.</summary>
    public int Seed { get; }

    /// <summary>The output's slot names: the input's (or <c>f0, f1, …</c>) then <c>noise0, noise1, …</c>.</summary>
    public IReadOnlyList<string> SlotNames => _slotNames;
}
