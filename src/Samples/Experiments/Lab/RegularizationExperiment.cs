using System.Globalization;

namespace MlNetDeep.Samples.Experiments.Lab;

/// <summary>
/// Lecture: L2(0.002) and Dropout(0.5) against the unregularized model, on the lecture's 16-16 model and on the
/// 512-512 model (the spam task is easy: 16-16 barely overfits it, so the effect shows on the larger model).
/// </summary>
internal static class RegularizationExperiment
{
    public static ExperimentResult RunL2(ExperimentContext context) => Run(context, "L2(0.002)", l2: 0.002, dropout: 0);

    public static ExperimentResult RunDropout(ExperimentContext context) => Run(context, "Dropout(0.5)", l2: 0, dropout: 0.5);

    private static ExperimentResult Run(ExperimentContext context, string technique, double l2, double dropout)
    {
        var ml = context.CreateMLContext();
        var lab = TextLab.Prepare(context, ml);
        var figures = new List<string>();
        var numbers = new Dictionary<string, double>();
        var parts = new List<string>();
        var diagnoses = new List<RunDiagnosis>();
        foreach (var (size, hidden) in new[] { ("16-16", new[] { 16, 16 }), ("512-512", new[] { 512, 512 }) })
        {
            var plain = ml.BinaryClassification.Trainers.DenseNetwork(lab.Options(context, $"{size}", hidden)).Fit(lab.Train);
            var regularized = ml.BinaryClassification.Trainers.DenseNetwork(lab.Options(context, $"{size} {technique}", hidden, l2: l2, dropout: dropout)).Fit(lab.Train);
            var figure = context.OutputPath($"{size}-validation-loss.png");
            var runs = new[] { (size, plain.History), ($"{size} {technique}", regularized.History) };
            LearningCurvePlot.Compare(runs, HistoryMetric.ValidationLoss,
                $"{technique} on the {size} spam model: validation loss{(l2 > 0 ? " (with the penalty, as Keras reports it)" : "")}").WithDiagnoses(runs).SavePng(figure);
            diagnoses.AddRange(LabHistory.Diagnose(runs));
            figures.Add(figure);

            var (plainBestEpoch, plainBest) = LabHistory.BestValidation(plain.History);
            var (regBestEpoch, regBest) = LabHistory.BestValidation(regularized.History);
            var (plainAcc, plainLoss) = lab.Evaluate(ml, plain);
            var (regAcc, regLoss) = lab.Evaluate(ml, regularized);
            numbers[$"{size}_plain_best_val_loss"] = plainBest;
            numbers[$"{size}_regularized_best_val_loss"] = regBest;
            numbers[$"{size}_plain_final_val_loss"] = plain.History[^1].ValidationLoss ?? double.NaN;
            numbers[$"{size}_regularized_final_val_loss"] = regularized.History[^1].ValidationLoss ?? double.NaN;
            numbers[$"{size}_plain_test_loss"] = plainLoss;
            numbers[$"{size}_regularized_test_loss"] = regLoss;
            numbers[$"{size}_plain_test_accuracy"] = plainAcc;
            numbers[$"{size}_regularized_test_accuracy"] = regAcc;
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"{size}: final val loss {numbers[$"{size}_plain_final_val_loss"]:F4} → {numbers[$"{size}_regularized_final_val_loss"]:F4} (best {plainBest:F4} @{plainBestEpoch} → {regBest:F4} @{regBestEpoch}), " +
                $"test BCE {plainLoss:F4} → {regLoss:F4}, test acc {plainAcc:F3} → {regAcc:F3}"));
        }
        string verdict = $"{technique}: " + string.Join("; ", parts);
        return new ExperimentResult(verdict) { Numbers = numbers, Figures = figures, Diagnoses = diagnoses };
    }
}
