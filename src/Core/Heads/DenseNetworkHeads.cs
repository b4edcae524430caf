using System.ComponentModel;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MlNetDeep.Network;
using MlNetDeep.State;

namespace MlNetDeep.Heads;

/// <summary>
/// The CustomMappings that score a trained dense network inside a saved model: each reads the row's features and
/// the stored network (a ValueMapping lookup of the state key, see <see cref="StateLookup"/>), runs the managed
/// forward pass and writes ML.NET's scoring columns. ML.NET saves a CustomMapping as its contract name plus this
/// assembly's name: the contract names, column names and row classes below are a persisted format. Never change
/// one; add a "v2" next to it.
/// </summary>
internal static class DenseNetworkHeads
{
    /// <summary>A copy of the user's feature column under a fixed name (CustomMapping input names are fixed).</summary>
    public const string FeaturesColumn = "__MlNetDeep_NetworkFeatures";

    /// <summary>The stored network (text) looked up from the state key.</summary>
    public const string NetworkColumn = "__MlNetDeep_Network";

    /// <summary>Multiclass: the class probabilities as fixed-width text (see <see cref="SlotText"/>).</summary>
    public const string ProbabilitiesTextColumn = "__MlNetDeep_ProbabilitiesText";

    /// <summary>Multiclass: the template 0..K−1 carrying Score's size and slot names.</summary>
    public const string ScoreTemplateColumn = "__MlNetDeep_ScoreTemplate";

    /// <summary>Multiclass: the 0-based index of the most probable class.</summary>
    public const string ClassIndexColumn = "__MlNetDeep_ClassIndex";

    public const string BinaryContract = "MlNetDeep.DenseNetwork.Binary.v1";
    public const string RegressionContract = "MlNetDeep.DenseNetwork.Regression.v1";
    public const string MulticlassContract = "MlNetDeep.DenseNetwork.Multiclass.v1";

    public static void Binary(DenseNetworkInput input, DenseBinaryOutput output)
    {
        Span<float> logit = stackalloc float[1];
        Score(input, logit);
        output.Score = logit[0];
        output.Probability = ScoringNetwork.Sigmoid(logit[0]);
        output.PredictedLabel = logit[0] > 0f;
    }

    public static void Regression(DenseNetworkInput input, DenseRegressionOutput output)
    {
        Span<float> value = stackalloc float[1];
        Score(input, value);
        output.Score = value[0];
    }

    public static void Multiclass(DenseNetworkInput input, DenseMulticlassOutput output)
    {
        var network = NetworkCache.Get(input.Network);
        var p = new float[network.OutputSize];
        network.Forward(input.Features, p);
        int best = Softmax(p);
        output.ProbabilitiesText = SlotText.Write(p);
        output.ClassIndex = (uint)best;
    }

    /// <summary>Turns logits into probabilities in place (max-shifted); returns the first index of the largest logit (NaN logits: 0).</summary>
    internal static int Softmax(Span<float> x)
    {
        int best = 0;
        float max = float.NegativeInfinity;
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] > max)
            {
                max = x[i];
                best = i;
            }
        }
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = MathF.Exp(x[i] - max);
            sum += x[i];
        }
        for (int i = 0; i < x.Length; i++)
            x[i] = (float)(x[i] / sum);
        return best;
    }

    private static void Score(DenseNetworkInput input, Span<float> output)
    {
        var network = NetworkCache.Get(input.Network);
        network.Forward(input.Features, output);
    }
}

/// <summary>What a dense-network head reads: the features and the stored network.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class DenseNetworkInput
{
    /// <summary>The row's features.</summary>
    [ColumnName(DenseNetworkHeads.FeaturesColumn)]
    public VBuffer<float> Features { get; set; }

    /// <summary>The stored network (the same text object on every row).</summary>
    [ColumnName(DenseNetworkHeads.NetworkColumn)]
    public ReadOnlyMemory<char> Network { get; set; }
}

/// <summary>Binary scoring columns, as ML.NET's binary trainers write them.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class DenseBinaryOutput
{
    /// <summary>The logit.</summary>
    public float Score { get; set; }

    /// <summary>The sigmoid of the logit.</summary>
    public float Probability { get; set; }

    /// <summary>True where the logit is above zero.</summary>
    public bool PredictedLabel { get; set; }
}

/// <summary>The regression scoring column.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class DenseRegressionOutput
{
    /// <summary>The predicted value.</summary>
    public float Score { get; set; }
}

/// <summary>Multiclass head output: probabilities as fixed-width text and the predicted class index.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class DenseMulticlassOutput
{
    /// <summary>The class probabilities, <see cref="SlotText.Width"/> characters each.</summary>
    [ColumnName(DenseNetworkHeads.ProbabilitiesTextColumn)]
    public string ProbabilitiesText { get; set; } = "";

    /// <summary>The 0-based index of the most probable class.</summary>
    [ColumnName(DenseNetworkHeads.ClassIndexColumn)]
    public uint ClassIndex { get; set; }
}

/// <summary>Factory ML.NET finds by contract name when it loads a saved binary dense network.</summary>
[CustomMappingFactoryAttribute(DenseNetworkHeads.BinaryContract)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class DenseBinaryHeadFactory : CustomMappingFactory<DenseNetworkInput, DenseBinaryOutput>
{
    /// <inheritdoc />
    public override Action<DenseNetworkInput, DenseBinaryOutput> GetMapping() => DenseNetworkHeads.Binary;
}

/// <summary>Factory ML.NET finds by contract name when it loads a saved regression dense network.</summary>
[CustomMappingFactoryAttribute(DenseNetworkHeads.RegressionContract)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class DenseRegressionHeadFactory : CustomMappingFactory<DenseNetworkInput, DenseRegressionOutput>
{
    /// <inheritdoc />
    public override Action<DenseNetworkInput, DenseRegressionOutput> GetMapping() => DenseNetworkHeads.Regression;
}

/// <summary>Factory ML.NET finds by contract name when it loads a saved multiclass dense network.</summary>
[CustomMappingFactoryAttribute(DenseNetworkHeads.MulticlassContract)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class DenseMulticlassHeadFactory : CustomMappingFactory<DenseNetworkInput, DenseMulticlassOutput>
{
    /// <inheritdoc />
    public override Action<DenseNetworkInput, DenseMulticlassOutput> GetMapping() => DenseNetworkHeads.Multiclass;
}
