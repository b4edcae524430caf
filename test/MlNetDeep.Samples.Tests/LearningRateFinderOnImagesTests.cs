using Microsoft.ML;
using MlNetDeep.Samples.Data;
using MlNetDeep.Samples.Experiments;
using MlNetDeep.Samples.Experiments.Lab;
using MlNetDeep.Samples.Reporting;

namespace MlNetDeep.Samples.Tests;

/// <summary>The range test on the lecture's model and real images: its suggestion is usable as is.</summary>
[TestClass]
public sealed class LearningRateFinderOnImagesTests
{
    [TestMethod]
    public void FindLearningRate_Dense512OnFashionMnist_SuggestsWithin10xOfKerasDefault_AndTrainsAsWell()
    {
        var context = new ExperimentContext("lr-finder", DataSource.Resolve(null, full: false), Path.GetTempPath(), new ConsoleReporter(new StringWriter(), interactive: false)) { Seed = 42 };
        var ml = new MLContext(42);
        var train = ml.Data.Cache(ImageLab.Train(context, ml));
        var options = ImageLab.Reference(context, "finder", epochs: 5); // 784 → 512 → 10, RMSprop, batch 128, validation 0.2

        var found = ml.MulticlassClassification.Trainers.DenseNetwork(options).FindLearningRate(train);
        Assert.IsTrue(found.SuggestedLearningRate is >= 1e-4 and <= 1e-2, found.ToString());

        var keras = ml.MulticlassClassification.Trainers.DenseNetwork(options).Fit(train).History;
        options.LearningRate = found.SuggestedLearningRate;
        var suggested = ml.MulticlassClassification.Trainers.DenseNetwork(options).Fit(train).History;
        double best(TrainingHistory h) => h.Max(e => e.ValidationAccuracy ?? 0);
        Assert.IsGreaterThan(best(keras) - 0.03, best(suggested), $"{found}; validation accuracy at 1e-3: {best(keras):F3}, at the suggestion: {best(suggested):F3}");
        Console.WriteLine($"{found}; best validation accuracy at 1e-3 {best(keras):F3}, at {found.SuggestedLearningRate:G3} {best(suggested):F3}");
    }
}
