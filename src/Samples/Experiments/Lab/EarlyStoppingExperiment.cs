using System.Globalization;

namespace MlNetDeep.Samples.Experiments.Lab;

/// <summary>Lecture: EarlyStopping(val_loss, patience 2, restore_best_weights) on the overfitting 512-512 text model vs a fixed 20 epochs.</summary>
internal static class EarlyStoppingExperiment
{
    public static ExperimentResult Run(ExperimentContext context)
    {
        var ml = context.CreateMLContext();
        var lab = TextLab.Prepare(context, ml);
        var hidden = new[] { 512, 512 };
        var fixedRun = ml.BinaryClassification.Trainers.DenseNetwork(lab.Options(context, "512-512, 20 epochs", hidden)).Fit(lab.Train);
        var stopping = new EarlyStoppingOptions { Monitor = "val_loss", Patience = 2, RestoreBestWeights = true };
        var stoppedRun = ml.BinaryClassification.Trainers.DenseNetwork(lab.Options(context, "512-512, early stopping", hidden, earlyStopping: stopping)).Fit(lab.Train);

        var runs = new[] { ("20 epochs", fixedRun.History), ("early stopping", stoppedRun.History) };
        var figure = context.OutputPath("validation-loss.png");
        new LearningCurvePlot("Early stopping (patience 2, restore best) vs 20 epochs", "Epochs", "Validation loss")
            .AddHistory(fixedRun.History, HistoryMetric.ValidationLoss, "20 epochs")
            .AddHistory(stoppedRun.History, HistoryMetric.ValidationLoss, "early stopping", markBestEpoch: true, markEarlyStop: true)
            .WithDiagnoses(runs)
            .SavePng(figure);

        var (fixedAcc, fixedLoss) = lab.Evaluate(ml, fixedRun);
        var (stopAcc, stopLoss) = lab.Evaluate(ml, stoppedRun);
        double fixedSeconds = fixedRun.History.Sum(e => e.Duration.TotalSeconds), stopSeconds = stoppedRun.History.Sum(e => e.Duration.TotalSeconds);
        string verdict = string.Create(CultureInfo.InvariantCulture,
            $"early stopping {(stoppedRun.StoppedEarly ? $"stopped after epoch {stoppedRun.History.Count}" : "never triggered")} and restored epoch {stoppedRun.BestEpoch}; " +
            $"test accuracy {stopAcc:F3} vs {fixedAcc:F3} and test loss {stopLoss:F4} vs {fixedLoss:F4} for 20 fixed epochs, in {100 * stopSeconds / fixedSeconds:F0}% of the time");
        return new ExperimentResult(verdict)
        {
            Numbers = new Dictionary<string, double>
            {
                ["stopped_epoch"] = stoppedRun.History.Count, ["best_epoch"] = stoppedRun.BestEpoch ?? double.NaN,
                ["test_accuracy_early"] = stopAcc, ["test_accuracy_fixed"] = fixedAcc, ["test_loss_early"] = stopLoss, ["test_loss_fixed"] = fixedLoss,
                ["time_fraction"] = stopSeconds / fixedSeconds,
            },
            Figures = new[] { figure },
            Diagnoses = LabHistory.Diagnose(runs),
        };
    }
}
