using System.Globalization;
using Microsoft.ML;
using MlNetDeep.Samples.Reporting;

namespace MlNetDeep.Samples.Experiments.Lab;

/// <summary>
/// Issue 9 on real data: the lecture's overfitting 512-512 spam model trained with ReduceLearningRateOnPlateau and a
/// ModelCheckpoint of its best val_loss epoch, against the same model at a constant rate (checkpointed too). The
/// checkpoint is loaded back with <c>mlContext.Model.Load</c> and must score the test mails exactly as the weights of
/// the best epoch restored by the run itself.
/// </summary>
internal static class PlateauCheckpointExperiment
{
    /// <summary>
    /// Monitor val_loss, the curve that overfits and the one the checkpoint keeps the best of. Patience 2: the 512-512
    /// model's val_loss bottoms out within the first 4–6 of 20 epochs (README, lab row 5), so Keras' default of 10
    /// would cut first around epoch 15, deep into the overfitting; 2 is the lecture's early-stopping patience, one
    /// noisy epoch does not trigger it. Factor 0.1 (Keras' default): a cut that clearly changes the step, at most a few
    /// times in 20 epochs; MinLearningRate 1e-6 (three cuts) so the last epochs still move.
    /// </summary>
    private const int PanelHeight = 420;

    private static ReduceLearningRateOnPlateau Plateau() => new() { Monitor = "val_loss", Patience = 2, Factor = 0.1, MinLearningRate = 1e-6 };

    public static ExperimentResult Run(ExperimentContext context)
    {
        var ml = context.CreateMLContext();
        var lab = TextLab.Prepare(context, ml);
        var hidden = new[] { 512, 512 };
        int epochs = context.Epochs(20);

        var constantCheckpoint = new ModelCheckpoint(context.OutputPath("constant-best.zip"));
        var constantOptions = lab.Options(context, "512-512, constant rate", hidden);
        constantOptions.Callbacks.Add(constantCheckpoint);
        var constant = ml.BinaryClassification.Trainers.DenseNetwork(constantOptions).Fit(lab.Train);

        var plateau = Plateau();
        var checkpoint = new ModelCheckpoint(context.OutputPath("plateau-best.zip"));
        // an EarlyStopping whose patience outlasts the run never stops it: it only restores the best epoch's weights
        // at the end, so the fitted model is the best epoch to hold the checkpoint against
        var restoreBest = new EarlyStoppingOptions { Monitor = "val_loss", Patience = epochs, RestoreBestWeights = true };
        var options = lab.Options(context, "512-512, ReduceLROnPlateau", hidden, earlyStopping: restoreBest);
        options.Callbacks.Add(plateau);
        options.Callbacks.Add(checkpoint);
        var restored = ml.BinaryClassification.Trainers.DenseNetwork(options).Fit(lab.Train);

        var loaded = ml.Model.Load(checkpoint.Path, out _);
        var proof = CheckpointProof.Compare(lab.Test, loaded, restored);
        if (!proof.IsBestEpoch(restored.History))
            throw new InvalidOperationException($"The checkpoint is not the best epoch: {proof}.");

        var history = restored.History;
        var cuts = RateCuts(history);
        var (constantBestEpoch, constantBest) = LabHistory.BestValidation(constant.History);
        var (plateauBestEpoch, plateauBest) = LabHistory.BestValidation(history);
        var (constantAcc, constantBce) = lab.Evaluate(ml, constant);
        var (constantBestAcc, constantBestBce) = lab.Evaluate(ml, ml.Model.Load(constantCheckpoint.Path, out _));
        var (acc, bce) = lab.Evaluate(ml, loaded);
        int sameEpochs = constant.History.Zip(history).TakeWhile(p => p.First.ValidationLoss == p.Second.ValidationLoss).Count();

        var figure = context.OutputPath("learning-curve.png");
        FigurePanels.SavePng(figure, LossPanel(constant.History, history, cuts), RatePanel(constant.History, history));

        var c = CultureInfo.InvariantCulture;
        string cutText = cuts.Length == 0 ? "never cut the rate" : $"cut the rate after epoch {string.Join(", ", cuts.Select(e => e.ToString(c)))}";
        string effect = cuts.Length == 0 || plateauBestEpoch <= cuts[0]
            ? "the cut came after the best epoch, so it could not lower the best val loss"
            : plateauBest < constantBest - 1e-4 ? "the cut helped" : "the cut did not help";
        string verdict = string.Create(c,
            $"ReduceLROnPlateau (val_loss, patience 2, ×0.1) {cutText}; best val loss {plateauBest:F4} at epoch {plateauBestEpoch} vs {constantBest:F4} at epoch {constantBestEpoch} at a constant rate: {effect}; " +
            $"its checkpoint (epoch {proof.CheckpointEpoch}, {proof.Equal}/{proof.Rows} test probabilities equal to the restored best epoch) scores test acc {acc:F3}, BCE {bce:F4} " +
            $"vs {constantBestAcc:F3}, {constantBestBce:F4} for the constant-rate checkpoint and {constantAcc:F3}, {constantBce:F4} after {epochs} constant-rate epochs; " +
            $"final val loss {history[^1].ValidationLoss:F4} vs {constant.History[^1].ValidationLoss:F4}");
        return new ExperimentResult(verdict)
        {
            Numbers = new Dictionary<string, double>
            {
                ["first_cut_after_epoch"] = cuts.Length == 0 ? double.NaN : cuts[0],
                ["cuts"] = cuts.Length,
                ["final_learning_rate"] = history[^1].LearningRate ?? double.NaN,
                ["epochs_identical_to_constant_run"] = sameEpochs,
                ["plateau_best_val_epoch"] = plateauBestEpoch, ["plateau_best_val_loss"] = plateauBest,
                ["constant_best_val_epoch"] = constantBestEpoch, ["constant_best_val_loss"] = constantBest,
                ["plateau_final_val_loss"] = history[^1].ValidationLoss ?? double.NaN,
                ["constant_final_val_loss"] = constant.History[^1].ValidationLoss ?? double.NaN,
                ["checkpoint_epoch"] = proof.CheckpointEpoch,
                ["checkpoint_equal_test_probabilities"] = proof.Equal, ["test_rows"] = proof.Rows,
                ["checkpoint_max_abs_difference"] = proof.MaxDifference,
                ["plateau_checkpoint_test_accuracy"] = acc, ["plateau_checkpoint_test_bce"] = bce,
                ["constant_checkpoint_test_accuracy"] = constantBestAcc, ["constant_checkpoint_test_bce"] = constantBestBce,
                ["constant_final_test_accuracy"] = constantAcc, ["constant_final_test_bce"] = constantBce,
            },
            Figures = new[] { figure },
            Diagnoses = LabHistory.Diagnose(new[] { ("constant rate", constant.History), ("plateau", history) }),
        };
    }

    /// <summary>
    /// The epochs after which the rate was cut: those whose next epoch ran at a lower rate (Keras logs the cut at the
    /// end of the epoch). A drop by a rounding error is not a cut: the callback compares the rate with
    /// MinLearningRate in double, so 1e-3 × 0.1³ = 1.0000000000000002e-6 is "above" 1e-6 and gets set to 1e-6 once
    /// more (Keras compares in float32 and leaves it).
    /// </summary>
    internal static int[] RateCuts(TrainingHistory history) => Enumerable.Range(1, Math.Max(0, history.Count - 1))
        .Where(i => history[i].LearningRate < history[i - 1].LearningRate * (1 - 1e-9))
        .Select(i => history[i - 1].Epoch)
        .ToArray();

    private static LearningCurvePlot LossPanel(TrainingHistory constant, TrainingHistory plateau, int[] cuts)
    {
        var plot = new LearningCurvePlot("Spam 512-512: constant rate vs ReduceLROnPlateau", "Epochs", "Loss (log scale)")
        {
            LogScaleY = true,
            HeightPixels = PanelHeight,
        };
        plot.AddHistory(constant, HistoryMetric.Loss, "constant rate: training", "b-")
            .AddHistory(constant, HistoryMetric.ValidationLoss, "constant rate: validation", "b--")
            .AddHistory(plateau, HistoryMetric.Loss, "plateau: training", "r-")
            .AddHistory(plateau, HistoryMetric.ValidationLoss, "plateau: validation", "r--");
        if (cuts.Length > 0)
            plot.AddSeries("rate cut ×0.1 after this epoch", cuts.Select(e => (double)e), cuts.Select(e => plateau[e - 1].ValidationLoss ?? double.NaN), "kv");
        return plot;
    }

    private static LearningCurvePlot RatePanel(TrainingHistory constant, TrainingHistory plateau) =>
        new LearningCurvePlot("Learning rate per epoch (ReduceLROnPlateau: val_loss, patience 2, ×0.1)", "Epochs", "Learning rate (log scale)")
        {
            LogScaleY = true,
            HeightPixels = PanelHeight,
        }
            .AddSeries("constant rate", constant.Select(e => (double)e.Epoch), constant.Select(e => e.LearningRate ?? double.NaN), "b-")
            .AddSeries("plateau", plateau.Select(e => (double)e.Epoch), plateau.Select(e => e.LearningRate ?? double.NaN), "ro-");
}
