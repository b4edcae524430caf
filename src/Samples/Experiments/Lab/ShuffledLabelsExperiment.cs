using System.Globalization;

namespace MlNetDeep.Samples.Experiments.Lab;

/// <summary>Lecture: a network fits randomly shuffled labels (training accuracy rises) while validation stays at chance.</summary>
internal static class ShuffledLabelsExperiment
{
    public static ExperimentResult Run(ExperimentContext context)
    {
        var ml = context.CreateMLContext();
        var shuffled = ml.Data.ShuffleLabels(ImageLab.Train(context, ml), "Label", context.Seed);
        var model = ml.MulticlassClassification.Trainers.DenseNetwork(ImageLab.Reference(context, "shuffled labels", 50)).Fit(shuffled);
        var history = model.History;

        var figure = context.OutputPath("accuracy.png");
        new LearningCurvePlot("Fitting shuffled labels", "Epochs", "Accuracy")
            .AddHistory(history, HistoryMetric.Accuracy, "training")
            .AddHistory(history, HistoryMetric.ValidationAccuracy, "validation")
            .SavePng(figure);

        double first = history[0].Accuracy ?? double.NaN, last = history[^1].Accuracy ?? double.NaN;
        double valMax = history.Max(e => e.ValidationAccuracy ?? 0), valLast = history[^1].ValidationAccuracy ?? double.NaN;
        string verdict = string.Create(CultureInfo.InvariantCulture,
            $"training accuracy on shuffled labels goes {first:F3} → {last:F3} in {history.Count} epochs while validation accuracy stays near chance (0.10): last {valLast:F3}, max {valMax:F3}");
        return new ExperimentResult(verdict)
        {
            Numbers = new Dictionary<string, double> { ["train_acc_first"] = first, ["train_acc_last"] = last, ["val_acc_last"] = valLast, ["val_acc_max"] = valMax },
            Figures = new[] { figure },
            Diagnoses = LabHistory.Diagnose(new[] { ("shuffled labels", history) }),
        };
    }
}
