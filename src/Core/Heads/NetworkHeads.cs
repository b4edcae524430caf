using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MlNetDeep.Heads;

/// <summary>
/// The heads of first-wave models (2026-11-25), which scored the network with OnnxTransformer: they turned the ONNX
/// network's one-element output vector into ML.NET's scalar columns. Kept so those zips still load (in an app that
/// also references Microsoft.ML.OnnxTransformer); new models use <see cref="DenseNetworkHeads"/>. ML.NET saves a CustomMapping as its contract name plus
/// this assembly's name: the contract names and row classes below are a persisted format. Never change one;
/// add a "v2" next to it.
/// </summary>
internal static class NetworkHeads
{
    /// <summary>The ONNX output column the heads read; dropped after the head runs.</summary>
    public const string RawOutputColumn = "__MlNetDeep_RawOutput";

    /// <summary>The ONNX string output carrying the predicted class name (multiclass); dropped after use.</summary>
    public const string PredictedClassColumn = "__MlNetDeep_PredictedClass";

    /// <summary>The unwrapped predicted class name, mapped to a key by the label's own key values.</summary>
    public const string PredictedClassTextColumn = "__MlNetDeep_PredictedClassText";

    public const string BinaryContract = "MlNetDeep.BinaryHead.v1";
    public const string RegressionContract = "MlNetDeep.RegressionHead.v1";
    public const string ClassNameContract = "MlNetDeep.ClassNameHead.v1";

    public static void Binary(RawOutput input, BinaryHeadOutput output)
    {
        var logit = input.Values[0];
        output.Score = logit;
        output.Probability = 1f / (1f + MathF.Exp(-logit));
        output.PredictedLabel = logit > 0f;
    }

    public static void Regression(RawOutput input, RegressionHeadOutput output) => output.Score = input.Values[0];

    public static void ClassName(PredictedClassInput input, PredictedClassOutput output) => output.ClassName = input.Values[0];
}

/// <summary>The network's one-element output (a logit for binary, the prediction for regression).</summary>
public sealed class RawOutput
{
    /// <summary>One value.</summary>
    [ColumnName(NetworkHeads.RawOutputColumn)]
    [VectorType(1)]
    public float[] Values { get; set; } = new float[1];
}

/// <summary>Binary head output: ML.NET's binary-classification scoring columns.</summary>
public sealed class BinaryHeadOutput
{
    /// <summary>The raw score (logit).</summary>
    public float Score { get; set; }

    /// <summary>The sigmoid of the score.</summary>
    public float Probability { get; set; }

    /// <summary>True where the score is above zero (probability above 0.5).</summary>
    public bool PredictedLabel { get; set; }
}

/// <summary>Regression head output.</summary>
public sealed class RegressionHeadOutput
{
    /// <summary>The predicted value.</summary>
    public float Score { get; set; }
}

/// <summary>The network's predicted class name as a one-element text vector.</summary>
public sealed class PredictedClassInput
{
    /// <summary>One class name.</summary>
    [ColumnName(NetworkHeads.PredictedClassColumn)]
    [VectorType(1)]
    public string[] Values { get; set; } = new string[1];
}

/// <summary>The predicted class name as a scalar text column.</summary>
public sealed class PredictedClassOutput
{
    /// <summary>The class name.</summary>
    [ColumnName(NetworkHeads.PredictedClassTextColumn)]
    public string ClassName { get; set; } = "";
}

/// <summary>Factory ML.NET finds by contract name when it loads a saved binary head.</summary>
[CustomMappingFactoryAttribute(NetworkHeads.BinaryContract)]
public sealed class BinaryHeadFactory : CustomMappingFactory<RawOutput, BinaryHeadOutput>
{
    /// <inheritdoc />
    public override Action<RawOutput, BinaryHeadOutput> GetMapping() => NetworkHeads.Binary;
}

/// <summary>Factory ML.NET finds by contract name when it loads a saved regression head.</summary>
[CustomMappingFactoryAttribute(NetworkHeads.RegressionContract)]
public sealed class RegressionHeadFactory : CustomMappingFactory<RawOutput, RegressionHeadOutput>
{
    /// <inheritdoc />
    public override Action<RawOutput, RegressionHeadOutput> GetMapping() => NetworkHeads.Regression;
}

/// <summary>Factory ML.NET finds by contract name when it loads a saved multiclass class-name head.</summary>
[CustomMappingFactoryAttribute(NetworkHeads.ClassNameContract)]
public sealed class ClassNameHeadFactory : CustomMappingFactory<PredictedClassInput, PredictedClassOutput>
{
    /// <inheritdoc />
    public override Action<PredictedClassInput, PredictedClassOutput> GetMapping() => NetworkHeads.ClassName;
}
