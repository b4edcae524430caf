using Microsoft.ML;

namespace MlNetDeep;

/// <summary>Finds the training history of a fitted model: the model itself, or the last provider inside a (nested) chain.</summary>
internal static class HistoryLookup
{
    public static TrainingHistory? Find(ITransformer? model)
    {
        switch (model)
        {
            case ITrainingHistoryProvider provider:
                return provider.History;
            case IEnumerable<ITransformer> chain:
                foreach (var transformer in chain.Reverse())
                {
                    if (Find(transformer) is { } history)
                        return history;
                }
                return null;
            case ComposedTransformer composed:
                return Find(composed.Inner);
            default:
                return null;
        }
    }
}
