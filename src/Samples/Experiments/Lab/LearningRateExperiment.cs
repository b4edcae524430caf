using System.Globalization;

namespace MlNetDeep.Samples.Experiments.Lab;

/// <summary>Lecture: RMSprop with learning rate 1.0 gets stuck; 1e-2 learns.</summary>
internal static class LearningRateExperiment
{
    public static ExperimentResult Run(ExperimentContext context)
    {
        var ml = context.CreateMLContext();
        var train = ImageLab.Train(context, ml);
        var runs = new List<(string Label, TrainingHistory History)>();
        foreach (var lr in new[] { 1.0, 1e-2 })
        {
            string name = $"lr {lr.ToString(CultureInfo.InvariantCulture)}";
            var model = ml.MulticlassClassification.Trainers.DenseNetwork(ImageLab.Reference(context, name, 10, learningRate: lr)).Fit(train);
            runs.Add((name, model.History));
        }

        var figure = context.OutputPath("validation-accuracy.png");
        LearningCurvePlot.Compare(runs, HistoryMetric.ValidationAccuracy, "RMSprop learning rate: validation accuracy").SavePng(figure);

        var high = runs[0].History;
        var good = runs[1].History;
        double highFinal = high[^1].ValidationAccuracy ?? double.NaN, goodFinal = good[^1].ValidationAccuracy ?? double.NaN;
        string verdict = string.Create(CultureInfo.InvariantCulture,
            $"lr 1.0 {(highFinal < 0.5 ? "is stuck" : "still learns")}: validation accuracy {high[0].ValidationAccuracy:F3} after epoch 1, {highFinal:F3} at the end{(high.Diverged ? " (diverged)" : "")}; lr 1e-2 reaches {goodFinal:F3}");
        return new ExperimentResult(verdict)
        {
            Numbers = new Dictionary<string, double> { ["lr1_final_val_acc"] = highFinal, ["lr0.01_final_val_acc"] = goodFinal },
            Figures = new[] { figure },
            Diagnoses = LabHistory.Diagnose(runs),
        };
    }
}
