using System.Globalization;

namespace MlNetDeep.Samples.Experiments.Lab;

/// <summary>Lecture: logistic regression cannot overfit (validation loss plateaus); a 96-96 network can (it bottoms out, then rises).</summary>
internal static class CapacityExperiment
{
    public static ExperimentResult Run(ExperimentContext context)
    {
        var ml = context.CreateMLContext();
        var train = ImageLab.Train(context, ml);
        var runs = new List<(string Label, TrainingHistory History)>();
        foreach (var (name, hidden) in new[] { ("logistic", Array.Empty<int>()), ("96-96", new[] { 96, 96 }) })
        {
            var model = ml.MulticlassClassification.Trainers.DenseNetwork(ImageLab.Reference(context, name, 20, hidden)).Fit(train);
            runs.Add((name, model.History));
        }

        var figure = context.OutputPath("validation-loss.png");
        LearningCurvePlot.Compare(runs, HistoryMetric.ValidationLoss, "Capacity: validation loss").WithDiagnoses(runs).SavePng(figure);

        var (logBest, logMin, logFinal) = Summary(runs[0].History);
        var (bigBest, bigMin, bigFinal) = Summary(runs[1].History);
        string verdict = string.Create(CultureInfo.InvariantCulture,
            $"logistic regression's validation loss plateaus at {logFinal:F3} (best {logMin:F3}, epoch {logBest}); 96-96 bottoms at {bigMin:F3} in epoch {bigBest} and ends at {bigFinal:F3} {(bigFinal > bigMin + 0.005 ? "(it overfits)" : "(no overfitting within these epochs)")}");
        return new ExperimentResult(verdict)
        {
            Numbers = new Dictionary<string, double>
            {
                ["logistic_min_val_loss"] = logMin, ["logistic_final_val_loss"] = logFinal,
                ["dense96_min_val_loss"] = bigMin, ["dense96_best_epoch"] = bigBest, ["dense96_final_val_loss"] = bigFinal,
            },
            Figures = new[] { figure },
            Diagnoses = LabHistory.Diagnose(runs),
        };
    }

    private static (int BestEpoch, double Min, double Final) Summary(TrainingHistory history)
    {
        var (epoch, loss) = LabHistory.BestValidation(history);
        return (epoch, loss, history[^1].ValidationLoss ?? double.NaN);
    }
}
