using Microsoft.ML;
using MlNetDeep.Samples.Data;

namespace MlNetDeep.Samples.Experiments.Lab;

/// <summary>What the image experiments share: the data as ML.NET views and the lecture's reference network.</summary>
internal static class ImageLab
{
    /// <summary>The training images (all of them, or a few hundred under the tiny budget) with the label mapped to a key.</summary>
    public static IDataView Train(ExperimentContext context, MLContext ml) => Keyed(ml, context.Rows(context.Data.Images.Train, 400));

    /// <summary>The test images with the label mapped to a key.</summary>
    public static IDataView Test(ExperimentContext context, MLContext ml) => Keyed(ml, TestRows(context));

    /// <summary>The test images <see cref="Test"/> holds: all of them, or the first 200 under the tiny budget.</summary>
    public static IReadOnlyList<ImageExample> TestRows(ExperimentContext context) => context.Rows(context.Data.Images.Test, 200);

    /// <summary>Rows → IDataView with <c>Label</c> as a key over the ten classes (0..9 in value order).</summary>
    public static IDataView Keyed(MLContext ml, IReadOnlyList<ImageExample> rows)
    {
        var view = ml.Data.LoadFromEnumerable(rows);
        var classes = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 10).Select(i => new ClassValue { Label = i }));
        return ml.Transforms.Conversion.MapValueToKey("Label", keyData: classes).Fit(view).Transform(view);
    }

    /// <summary>The lecture's MNIST model: Dense(512, relu) → Dense(10, softmax), RMSprop, batch 128, validation_split 0.2.</summary>
    public static DenseNetworkOptions Reference(ExperimentContext context, string run, int epochs, int[]? hidden = null, double learningRate = 1e-3, int seedOffset = 0) => new()
    {
        HiddenLayerSizes = hidden ?? new[] { 512 },
        Epochs = context.Epochs(epochs),
        BatchSize = 128,
        LearningRate = learningRate,
        ValidationFraction = 0.2,
        Seed = context.Seed + seedOffset,
        Progress = context.Reporter.ForRun(run, context.Epochs(epochs)),
        CancellationToken = context.CancellationToken,
    };

    /// <summary>Number of seeds to repeat a run over: 3 on the full data (the reference reports mean ± sd over 3), else 1.</summary>
    public static int Repeats(ExperimentContext context) => context.Full && !context.IsTiny ? 3 : 1;

    private sealed class ClassValue
    {
        public int Label { get; set; }
    }
}
