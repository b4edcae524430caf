using System.Globalization;
using System.Text;
using Microsoft.ML;
using MlNetDeep.Samples.Reporting;

namespace MlNetDeep.Samples.Experiments.Lab;

/// <summary>
/// Issue 10: the lecture's workflow run by <c>TuneDenseNetwork</c> on Fashion-MNIST and on the spam mails — baseline,
/// learning rate, scale up until a model overfits, regularize it, choose by repeated K-fold — against the default
/// options scored on the same folds.
/// </summary>
internal static class TuneExperiment
{
    /// <summary>What one search may do under the lab's budget.</summary>
    /// <param name="Folds">K of the K-fold cross-validation.</param>
    /// <param name="Epochs">The epochs of every trial (the budget successive halving divides).</param>
    /// <param name="MaxTime">Each search's <see cref="DenseNetworkTuningOptions.MaxTime"/>.</param>
    /// <param name="Images">The ladder on Fashion-MNIST.</param>
    /// <param name="Text">The ladder on the spam mails.</param>
    /// <param name="ImageRows">The training images searched under the tiny budget (all of them otherwise).</param>
    internal sealed record Budget(int Folds, int Epochs, TimeSpan MaxTime, IList<int[]> Images, IList<int[]> Text, int ImageRows = 0);

    /// <summary>
    /// The budget: under the tiny budget (tests) a few hundred rows, 3 folds, 20 epochs, and 10 minutes per search — a
    /// limit the search never reaches there (one to three minutes each with load average 17–27 on 2 cores, 2026-11-26), so
    /// which trials run does not depend on the machine's load; on the embedded subset 5 folds, 20 epochs (the lecture's)
    /// and 5 minutes; on the full data 10 minutes (the search's default). Epochs are not cut to the tiny budget's two:
    /// a search needs curves long enough to see a U-turn. The text ladders are one-layer first: on a few hundred mails
    /// the default 64-unit layer is hard to beat, and the climb must pass it to show where capacity stops helping. The
    /// image ladder ends at 256-256: at 2e-4 a 512-512-512 network on 4,000 images did not fit the 5 minutes left on a
    /// loaded 2-core machine, and the search then had no time left to regularize.
    /// </summary>
    internal static Budget BudgetFor(ExperimentContext context)
    {
        if (context.IsTiny)
            return new Budget(3, 20, TimeSpan.FromMinutes(10),
                new List<int[]> { new[] { 16 }, new[] { 64 }, new[] { 256, 256 } },
                new List<int[]> { new[] { 4 }, new[] { 16 }, new[] { 64 }, new[] { 64, 64 } },
                ImageRows: 400);
        return new Budget(5, 20, context.Full ? TimeSpan.FromMinutes(10) : TimeSpan.FromMinutes(5),
            new List<int[]> { new[] { 16 }, new[] { 64 }, new[] { 64, 64 }, new[] { 256, 256 } },
            new List<int[]> { new[] { 4 }, new[] { 16 }, new[] { 64 }, new[] { 64, 64 }, new[] { 256, 256 } });
    }

    public static ExperimentResult Run(ExperimentContext context)
    {
        var ml = context.CreateMLContext();
        var budget = BudgetFor(context);
        var searches = new[] { SearchImages(context, ml, budget), SearchMails(context, ml, budget) };

        var numbers = new Dictionary<string, double>();
        var figures = new List<string>();
        var diagnoses = new List<RunDiagnosis>();
        var details = new StringBuilder();
        var parts = new List<string>();
        foreach (var s in searches)
        {
            var r = s.Result;
            numbers[$"{s.Key}_trials"] = r.Trials.Count;
            numbers[$"{s.Key}_seconds"] = r.Elapsed.TotalSeconds;
            numbers[$"{s.Key}_max_seconds"] = budget.MaxTime.TotalSeconds;
            numbers[$"{s.Key}_default_cv_loss"] = s.DefaultLoss;
            numbers[$"{s.Key}_default_cv_se"] = s.DefaultStandardError;
            numbers[$"{s.Key}_tuned_cv_loss"] = s.TunedLoss;
            numbers[$"{s.Key}_chosen_trial"] = r.BestTrial.Index;
            numbers[$"{s.Key}_best_mean_trial"] = r.BestMeanTrial.Index;
            numbers[$"{s.Key}_regularized_overfit_trial"] = s.Overfit?.Index ?? double.NaN;
            numbers[$"{s.Key}_scale_up_trials"] = r.Trials.Count(t => t.Stage == TuningStage.ScaleUp);
            numbers[$"{s.Key}_scaled_up_until_overfit"] = s.Overfit?.Stage == TuningStage.ScaleUp ? 1 : 0;
            numbers[$"{s.Key}_regularize_trials"] = r.Trials.Count(t => t.Stage == TuningStage.Regularize);
            numbers[$"{s.Key}_completed"] = r.Completed ? 1 : 0;
            numbers[$"{s.Key}_tuned_test_loss"] = s.Tuned.Loss;
            numbers[$"{s.Key}_default_test_loss"] = s.Defaults.Loss;
            numbers[$"{s.Key}_tuned_test_accuracy"] = s.Tuned.Accuracy;
            numbers[$"{s.Key}_default_test_accuracy"] = s.Defaults.Accuracy;

            var runs = new List<(string Label, TrainingHistory History)>();
            if (s.Overfit is { } overfit)
                runs.Add(($"#{overfit.Index} {Layers(overfit)} (overfit, regularized)", overfit.MeanHistory));
            runs.Add(($"#{r.BestTrial.Index} chosen: {Layers(r.BestTrial)}", r.BestTrial.MeanHistory));
            var figure = context.OutputPath($"{s.Key}-mean-validation-loss.png");
            LearningCurvePlot.Compare(runs, HistoryMetric.ValidationLoss, $"TuneDenseNetwork on {s.Title}: the folds' mean validation loss").WithDiagnoses(runs).SavePng(figure);
            figures.Add(figure);
            diagnoses.AddRange(runs.Select(run => new RunDiagnosis($"{s.Title} {run.Label}", run.History.Diagnose())));

            details.Append(Demoted(r.ToMarkdown())).Append('\n');
            details.Append("What each model of the ladder read (the folds' mean curve):\n\n");
            foreach (var t in r.Trials.Where(t => t.Stage is TuningStage.Baseline or TuningStage.LearningRate or TuningStage.ScaleUp))
                details.Append(string.Create(CultureInfo.InvariantCulture, $"- #{t.Index} {Layers(t)}, LearningRate {t.Options.LearningRate:G3}: **{t.Diagnosis.Verdict}**{(t.Diagnosis.OverfittingEpoch is int k ? $" from epoch {k}" : "")}. {string.Join(" ", t.Diagnosis.Evidence.Skip(1))}\n"));
            details.Append('\n');
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"{s.Title}: {r.Trials.Count} trials in {r.Elapsed.TotalSeconds:0} s (budget {budget.MaxTime.TotalSeconds:0} s), {(s.Overfit is null ? "no model it regularized overfit" : $"regularized {Layers(s.Overfit)}, which overfit ({s.Overfit.Stage})")}, chose #{r.BestTrial.Index} ({r.BestTrial.Change}): CV held-out loss {s.TunedLoss:0.000} vs {s.DefaultLoss:0.000} for the default options on the same folds; refitted, on {s.Tuned.Rows} test rows, loss {s.Tuned.Loss:0.000} vs {s.Defaults.Loss:0.000} (accuracy {s.Tuned.Accuracy:0.000} vs {s.Defaults.Accuracy:0.000})"));
        }

        return new ExperimentResult(string.Join("; ", parts))
        {
            Numbers = numbers,
            Figures = figures,
            Diagnoses = diagnoses,
            Details = details.ToString(),
        };
    }

    /// <summary>One search and what the experiment reads from it.</summary>
    /// <param name="Key">The data set's key in the result's numbers ("fashion-mnist", "spam").</param>
    /// <param name="Title">The data set's name in the report.</param>
    /// <param name="Result">The search.</param>
    /// <param name="Overfit">The climbed model the search regularized, when it overfit.</param>
    /// <param name="TunedLoss">The chosen trial's mean held-out loss on the first repeat of the folds.</param>
    /// <param name="DefaultLoss">The default options' mean held-out loss on the same folds.</param>
    /// <param name="DefaultStandardError">The standard error of <paramref name="DefaultLoss"/> over the folds.</param>
    /// <param name="Tuned">The search's BestModel (refitted on every training row) on the test rows, which the search never saw.</param>
    /// <param name="Defaults">The default options trained on every training row, on the same test rows.</param>
    internal sealed record Outcome(string Key, string Title, DenseNetworkTuningResult Result, DenseNetworkTrial? Overfit, double TunedLoss, double DefaultLoss,
        double DefaultStandardError, TestScore Tuned, TestScore Defaults);

    /// <summary>Accuracy and cross-entropy in nats on the test rows.</summary>
    internal readonly record struct TestScore(double Accuracy, double Loss, int Rows);

    /// <summary>The search on the Fashion-MNIST training images (the first <see cref="Budget.ImageRows"/> under the tiny budget), scored on the test images.</summary>
    internal static Outcome SearchImages(ExperimentContext context, MLContext ml, Budget budget)
    {
        var images = ImageLab.Keyed(ml, context.IsTiny ? context.Rows(context.Data.Images.Train, budget.ImageRows) : context.Data.Images.Train);
        var testRows = ImageLab.TestRows(context);
        var test = ImageLab.Keyed(ml, testRows);
        return Search(context, "fashion-mnist", "Fashion-MNIST", budget, budget.Images, o => ml.MulticlassClassification.TuneDenseNetwork(images, o),
            model =>
            {
                var m = ml.MulticlassClassification.Evaluate(model.Transform(test));
                return new TestScore(m.MicroAccuracy, m.LogLoss, testRows.Count); // ML.NET's multiclass LogLoss is in nats
            });
    }

    /// <summary>The search on the spam mails' training part (300 mails under the tiny budget), scored on the test mails.</summary>
    internal static Outcome SearchMails(ExperimentContext context, MLContext ml, Budget budget)
    {
        var text = TextLab.Prepare(context, ml);
        return Search(context, "spam", "spam mails", budget, budget.Text, o => ml.BinaryClassification.TuneDenseNetwork(text.Train, o),
            model =>
            {
                var (accuracy, loss) = text.Evaluate(ml, model);
                return new TestScore(accuracy, loss, text.TestRows);
            }, text.BatchSize);
    }

    private static Outcome Search(ExperimentContext context, string key, string title, Budget budget, IList<int[]> ladder,
        Func<DenseNetworkTuningOptions, DenseNetworkTuningResult> tune, Func<ITransformer, TestScore> score, int batchSize = 32) // 32: DenseNetworkOptions' default
    {
        var reporter = context.Reporter;
        reporter.Info(string.Create(CultureInfo.InvariantCulture, $"[{key}] TuneDenseNetwork: {budget.Folds} folds, {budget.Epochs} epochs, at most {budget.MaxTime.TotalSeconds:0} s"));
        var options = new DenseNetworkTuningOptions
        {
            Seed = context.Seed,
            NumberOfFolds = budget.Folds,
            NumberOfRepeats = 2,
            MaxTime = budget.MaxTime,
            Architectures = ladder.Select(a => (int[])a.Clone()).ToList(),
            BaseOptions = new DenseNetworkOptions { Epochs = budget.Epochs, BatchSize = batchSize },
            Progress = new TrialLines(reporter, key),
            CancellationToken = context.CancellationToken,
        };
        var result = tune(options);
        foreach (var line in result.ToMarkdown().Split('\n'))
            reporter.Info(line);

        // the default options (DenseNetworkOptions' defaults: 64 units, 10 epochs, rate 1e-3, batch 32) as the first
        // and only trial of a search with the same seed: the same folds and fold seeds as the search's first repeat
        var defaults = tune(new DenseNetworkTuningOptions
        {
            Seed = context.Seed,
            NumberOfFolds = budget.Folds,
            NumberOfRepeats = 2,
            MaxTrials = 1,
            Architectures = new List<int[]> { new DenseNetworkOptions().HiddenLayerSizes! },
            BaseOptions = new DenseNetworkOptions(),
            CancellationToken = context.CancellationToken,
        });
        var defaultMetric = defaults.Trials[0].Metric;
        double defaultLoss = defaultMetric.Mean;
        // the standard error of the defaults' mean over the folds: the margin the folds can tell from noise
        double defaultSe = defaultMetric.StandardDeviation / Math.Sqrt(defaultMetric.Count);
        // the chosen trial on the same first repeat of the folds (a Choose trial reuses them first)
        double tunedLoss = result.BestTrial.Metric.Values.Take(budget.Folds).Average();
        // the model the search regularized, when it overfit (the climb's overfitting model with the best held-out loss)
        var regularized = result.Trials.FirstOrDefault(t => t.Stage == TuningStage.Regularize)?.BasedOn;
        var overfit = result.Trials.FirstOrDefault(t => t.Index == regularized && t.Diagnosis.Verdict == FitVerdict.Overfitting);
        reporter.Info(string.Create(CultureInfo.InvariantCulture,
            $"[{key}] chosen #{result.BestTrial.Index}: CV held-out loss {tunedLoss:0.0000} on the first {budget.Folds} folds vs {defaultLoss:0.0000} ± {defaultSe:0.0000} (standard error) for the default options; its diagnosis: {result.BestTrial.Diagnosis}"));
        // both refitted on every training row (the search's BestModel; the defaults' one-trial search refits them the
        // same way), scored on test rows neither saw: the comparison free of the folds' selection bias
        var tuned = score(result.BestModel);
        var plain = score(defaults.BestModel);
        reporter.Info(string.Create(CultureInfo.InvariantCulture,
            $"[{key}] on the {tuned.Rows} test rows: refitted choice accuracy {tuned.Accuracy:0.000}, loss {tuned.Loss:0.0000}; default options {plain.Accuracy:0.000}, {plain.Loss:0.0000}"));
        return new Outcome(key, title, result, overfit, tunedLoss, defaultLoss, defaultSe, tuned, plain);
    }

    private static string Layers(DenseNetworkTrial trial) => "[" + string.Join(", ", trial.Options.HiddenLayerSizes ?? Array.Empty<int>()) + "]";

    /// <summary>The search's markdown under the report's experiment heading: its "##" becomes "####".</summary>
    private static string Demoted(string markdown) => markdown.StartsWith("## ", StringComparison.Ordinal) ? "##" + markdown : markdown;

    private sealed class TrialLines(ConsoleReporter reporter, string key) : IProgress<DenseNetworkTrial>
    {
        public void Report(DenseNetworkTrial value) => reporter.Info($"[{key}] {value}");
    }
}
