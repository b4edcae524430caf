using System.Globalization;

namespace MlNetDeep.Samples.Experiments.Lab;

/// <summary>Lecture: feature selection by mutual information removes the noise channels and recovers the accuracy.</summary>
internal static class MutualInformationExperiment
{
    public static ExperimentResult Run(ExperimentContext context)
    {
        var ml = context.CreateMLContext();
        var train = ImageLab.Train(context, ml);
        var noisy = NoiseVsZerosExperiment.Augment(ml, train, NoiseKind.Uniform, context.Seed);

        // 256 bins (ML.NET's default) need tens of thousands of rows; the embedded few thousand get 16, or the
        // histogram estimate's bias lets pure-noise channels outscore weak pixels
        int rows = context.Rows(context.Data.Images.Train, 400).Count;
        var options = new MutualInformationSelectionOptions
        {
            OutputColumnName = "Features", LabelColumnName = "Label", SlotsInOutput = 784, NumberOfBins = rows >= 20000 ? 256 : 16,
            Progress = context.Reporter.ForOperation("mutual information"),
        };
        var selector = ml.Transforms.FeatureSelection.SelectByMutualInformation(options).Fit(noisy);
        int realKept = selector.SelectedSlots.Count(s => s < 784);
        var selected = selector.Transform(noisy);
        var heatMap = context.OutputPath("mi-scores.png");
        HeatMapPlot.ForMutualInformation(selector.Scores, selector.SelectedSlots, columns: 28).SavePng(heatMap); // top half: the 28×28 pixels; bottom half: the noise channels

        var noiseRun = ml.MulticlassClassification.Trainers.DenseNetwork(ImageLab.Reference(context, "noise", 10)).Fit(noisy).History;
        var selectedRun = ml.MulticlassClassification.Trainers.DenseNetwork(ImageLab.Reference(context, "MI top-784", 10)).Fit(selected).History;
        var plainRun = ml.MulticlassClassification.Trainers.DenseNetwork(ImageLab.Reference(context, "no noise", 10)).Fit(train).History;

        var figure = context.OutputPath("validation-accuracy.png");
        LearningCurvePlot.Compare(new[] { ("784 noise channels", noiseRun), ("MI top-784 of the noisy 1568", selectedRun), ("original 784 pixels", plainRun) },
            HistoryMetric.ValidationAccuracy, "Mutual-information selection removes the noise channels").SavePng(figure);

        double noiseAcc = noiseRun[^1].ValidationAccuracy ?? double.NaN, selectedAcc = selectedRun[^1].ValidationAccuracy ?? double.NaN, plainAcc = plainRun[^1].ValidationAccuracy ?? double.NaN;
        string verdict = string.Create(CultureInfo.InvariantCulture,
            $"MI top-784 ({options.NumberOfBins} bins) kept {realKept} of 784 real pixels ({100.0 * realKept / 784:F1}%); validation accuracy {noiseAcc:F3} with noise → {selectedAcc:F3} after selection (original pixels: {plainAcc:F3})");
        return new ExperimentResult(verdict)
        {
            Numbers = new Dictionary<string, double> { ["real_pixels_kept"] = realKept, ["noise_val_acc"] = noiseAcc, ["selected_val_acc"] = selectedAcc, ["plain_val_acc"] = plainAcc },
            Figures = new[] { heatMap, figure },
            Diagnoses = LabHistory.Diagnose(new[] { ("784 noise channels", noiseRun), ("MI top-784 of the noisy 1568", selectedRun), ("original 784 pixels", plainRun) }),
        };
    }
}
