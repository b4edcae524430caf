using Microsoft.ML;
using MlNetDeep.Heads;
using MlNetDeep.Network;
using MlNetDeep.State;
using MlNetDeep.Training;

namespace MlNetDeep;

/// <summary>
/// The standard ML.NET estimators a trained network becomes, all managed and saveable by ML.NET itself:
/// the state key (CustomMapping) → the stored network (ValueMapping lookup of <see cref="NetworkFormat"/> text) →
/// a copy of the features under a fixed name → the task's scoring head (CustomMapping, managed forward pass).
/// Multiclass adds: Score = Expression filling a named template (known size, class names as slot names) from the
/// head's probabilities, and PredictedLabel = ValueMapping of the class index to the label's own key type and
/// KeyValues. Output columns: binary Score/Probability/PredictedLabel (Single, Single, Boolean); multiclass Score
/// (Vector&lt;Single, K&gt; with SlotNames) and PredictedLabel (the label's key type with its KeyValues);
/// regression Score. No transformer in the chain holds a native resource.
/// </summary>
internal static class ScoringChain
{
    public static IEstimator<ITransformer> Create(MLContext ml, NetworkDefinition network, ClassLabels? labels)
    {
        IEstimator<ITransformer> chain = StateLookup.Key(ml)
            .Append(StateLookup.Text(ml, DenseNetworkHeads.NetworkColumn, NetworkFormat.Write(network)))
            .Append(ml.Transforms.CopyColumns(DenseNetworkHeads.FeaturesColumn, network.FeatureColumn));
        var temporary = new List<string> { StateLookup.KeyColumn, DenseNetworkHeads.NetworkColumn, DenseNetworkHeads.FeaturesColumn };
        switch (network.Task)
        {
            case NetworkTask.Binary:
                chain = chain.Append(ml.Transforms.CustomMapping<DenseNetworkInput, DenseBinaryOutput>(DenseNetworkHeads.Binary, DenseNetworkHeads.BinaryContract));
                break;
            case NetworkTask.Regression:
                chain = chain.Append(ml.Transforms.CustomMapping<DenseNetworkInput, DenseRegressionOutput>(DenseNetworkHeads.Regression, DenseNetworkHeads.RegressionContract));
                break;
            default:
                if (labels is null || labels.Count != network.OutputSize)
                    throw new ArgumentException($"A multiclass network with {network.OutputSize} outputs needs that many classes; received {labels?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}.", nameof(labels));
                var slots = Enumerable.Range(0, labels.Count).Select(i => (float)i).ToArray();
                chain = chain
                    .Append(ml.Transforms.CustomMapping<DenseNetworkInput, DenseMulticlassOutput>(DenseNetworkHeads.Multiclass, DenseNetworkHeads.MulticlassContract))
                    .Append(StateLookup.NamedVector(ml, DenseNetworkHeads.ScoreTemplateColumn, slots, labels.Names))
                    .Append(SlotText.Fill(ml, "Score", DenseNetworkHeads.ScoreTemplateColumn, DenseNetworkHeads.ProbabilitiesTextColumn))
                    .Append(StateLookup.IndexToKey(ml, "PredictedLabel", DenseNetworkHeads.ClassIndexColumn, labels.KeyType, labels.Annotations));
                temporary.AddRange(new[] { DenseNetworkHeads.ProbabilitiesTextColumn, DenseNetworkHeads.ScoreTemplateColumn, DenseNetworkHeads.ClassIndexColumn });
                break;
        }
        return chain.Append(ml.Transforms.DropColumns(temporary.ToArray()));
    }

    /// <summary>A placeholder network of the right task and input size, used to derive output schemas before training.</summary>
    public static NetworkDefinition Placeholder(NetworkTask task, string featureColumn, int classes)
    {
        int outputs = task == NetworkTask.Multiclass ? classes : 1;
        var layer = new DenseLayer(1, outputs, new float[outputs], new float[outputs]);
        var names = task == NetworkTask.Multiclass ? Enumerable.Range(1, classes).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray() : null;
        return new NetworkDefinition(task, Activation.Relu, new[] { layer }, names, featureColumn, null);
    }
}
