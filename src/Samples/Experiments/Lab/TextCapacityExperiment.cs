using System.Globalization;

namespace MlNetDeep.Samples.Experiments.Lab;

/// <summary>Lecture (IMDB): a smaller network overfits later, a much larger one almost at once.</summary>
internal static class TextCapacityExperiment
{
    public static ExperimentResult Run(ExperimentContext context)
    {
        var ml = context.CreateMLContext();
        var lab = TextLab.Prepare(context, ml);
        var sizes = new[] { ("16-16 (reference)", new[] { 16, 16 }), ("4-4 (smaller)", new[] { 4, 4 }), ("512-512 (larger)", new[] { 512, 512 }) };
        var runs = new List<(string Label, TrainingHistory History)>();
        var numbers = new Dictionary<string, double>();
        var parts = new List<string>();
        foreach (var (name, hidden) in sizes)
        {
            var model = ml.BinaryClassification.Trainers.DenseNetwork(lab.Options(context, name, hidden)).Fit(lab.Train);
            runs.Add((name, model.History));
            var (bestEpoch, bestLoss) = LabHistory.BestValidation(model.History);
            var (accuracy, _) = lab.Evaluate(ml, model);
            string key = name.Split(' ')[0];
            numbers[$"{key}_best_val_epoch"] = bestEpoch;
            numbers[$"{key}_best_val_loss"] = bestLoss;
            numbers[$"{key}_test_accuracy"] = accuracy;
            numbers[$"{key}_final_train_loss"] = model.History[^1].Loss;
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{key} best val epoch {bestEpoch} (loss {bestLoss:F4}), test acc {accuracy:F3}"));
        }

        var validation = context.OutputPath("validation-loss.png");
        LearningCurvePlot.Compare(runs, HistoryMetric.ValidationLoss, $"Spam bag-of-words ({lab.VocabularySize} words): validation loss").WithDiagnoses(runs).SavePng(validation);
        var larger = context.OutputPath("larger-model-losses.png");
        new LearningCurvePlot("512-512 model: training vs validation loss", "Epochs", "Loss")
            .AddHistory(runs[2].History, HistoryMetric.Loss, "training")
            .AddHistory(runs[2].History, HistoryMetric.ValidationLoss, "validation")
            .SavePng(larger);

        string verdict = string.Join("; ", parts) + string.Create(CultureInfo.InvariantCulture,
            $"; the 512-512 training loss falls to {numbers["512-512_final_train_loss"]:G3}");
        return new ExperimentResult(verdict) { Numbers = numbers, Figures = new[] { validation, larger }, Diagnoses = LabHistory.Diagnose(runs) };
    }
}
