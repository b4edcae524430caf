using System.Globalization;
using Microsoft.ML;
using MlNetDeep.Samples.Data;

namespace MlNetDeep.Samples.Experiments.Lab;

/// <summary>
/// Lecture: with little data, a single hold-out estimate swings with the split; K-fold averages it; iterated K-fold
/// with shuffling averages over splits too. 2,000 rows, Dense 64, compared with the test accuracy. Every split is the
/// library's: TrainValidationTestSplit for the hold-outs, RepeatedCrossValidate's folds for (iterated) K-fold.
/// </summary>
internal static class ValidationSchemesExperiment
{
    public static ExperimentResult Run(ExperimentContext context)
    {
        var ml = context.CreateMLContext();
        var rows = DataSplits.Take(DataSplits.Shuffle(context.Data.Images.Train, context.Seed), context.IsTiny ? 300 : 2000);
        var data = ml.Data.Cache(ImageLab.Keyed(ml, rows));
        var test = ImageLab.Test(context, ml);
        int epochs = context.Epochs(20);
        IEstimator<ITransformer> Estimator() => ml.MulticlassClassification.Trainers.DenseNetwork(new DenseNetworkOptions
        {
            HiddenLayerSizes = new[] { 64 }, Epochs = epochs, BatchSize = 32, Seed = context.Seed, CancellationToken = context.CancellationToken,
        });

        int holdOuts = context.IsTiny ? 2 : 5;
        var holdOut = new List<double>();
        for (int s = 0; s < holdOuts; s++)
        {
            // the library's hold-out: exactly 20% of the rows (ML.NET's TrainTestSplit hashes rows into about 20%)
            var split = ml.Data.TrainValidationTestSplit(data, validationFraction: 0, testFraction: 0.2, seed: context.Seed + s);
            holdOut.Add(ml.MulticlassClassification.Evaluate(Estimator().Fit(split.TrainSet).Transform(split.TestSet)).MicroAccuracy);
            context.Reporter.Info(string.Create(CultureInfo.InvariantCulture, $"hold-out split {s + 1}/{holdOuts}: {holdOut[^1]:F3}"));
        }
        int folds = context.IsTiny ? 3 : 5;
        var kFold = ml.MulticlassClassification.RepeatedCrossValidate(data, Estimator(), folds, numberOfRepeats: 1, stratify: false, seed: context.Seed,
            progress: context.Reporter.ForOperation($"{folds}-fold"));
        context.Reporter.Info(kFold.ToString());
        var iterated = ml.MulticlassClassification.RepeatedCrossValidate(data, Estimator(), folds, numberOfRepeats: context.IsTiny ? 2 : 3, stratify: false, seed: context.Seed + 1,
            progress: context.Reporter.ForOperation($"iterated {folds}-fold"));
        context.Reporter.Info(iterated.ToString());
        double testAccuracy = ml.MulticlassClassification.Evaluate(Estimator().Fit(data).Transform(test)).MicroAccuracy;

        var kValues = kFold.GetMetric("MicroAccuracy");
        var iValues = iterated.GetMetric("MicroAccuracy");
        var figure = context.OutputPath("estimates.png");
        var plot = new LearningCurvePlot("Validation estimates of one model's accuracy", "validation scheme", "Accuracy")
        {
            XCategories = new[] { "hold-out splits", $"{folds}-fold folds", $"iterated {folds}-fold folds" },
        };
        plot.AddSeries("hold-out (one split each)", holdOut.Select(_ => 1.0), holdOut, "bo");
        plot.AddSeries($"{folds}-fold", kValues.Values.Select(_ => 2.0), kValues.Values, "go");
        plot.AddSeries($"iterated {folds}-fold × {iterated.NumberOfRepeats}", iValues.Values.Select(_ => 3.0), iValues.Values, "mo");
        plot.AddSeries("means", new[] { 1.0, 2.0, 3.0 }, new[] { holdOut.Average(), kValues.Mean, iValues.Mean }, "ks");
        plot.AddSeries("test accuracy", new[] { 0.8, 3.2 }, new[] { testAccuracy, testAccuracy }, "r--");
        plot.SavePng(figure);

        string verdict = string.Create(CultureInfo.InvariantCulture,
            $"single hold-outs range {holdOut.Min():F3}–{holdOut.Max():F3} (swing {holdOut.Max() - holdOut.Min():F3}); {folds}-fold mean {kValues.Mean:F3} ± {kValues.StandardDeviation:F3}; " +
            $"iterated {folds}-fold × {iterated.NumberOfRepeats} mean {iValues.Mean:F3} (95% CI ± {iValues.HalfWidth:F3}); test accuracy {testAccuracy:F3}");
        return new ExperimentResult(verdict)
        {
            Numbers = new Dictionary<string, double>
            {
                ["holdout_min"] = holdOut.Min(), ["holdout_max"] = holdOut.Max(), ["holdout_mean"] = holdOut.Average(),
                ["kfold_mean"] = kValues.Mean, ["kfold_sd"] = kValues.StandardDeviation, ["iterated_mean"] = iValues.Mean, ["iterated_ci_half_width"] = iValues.HalfWidth,
                ["test_accuracy"] = testAccuracy,
            },
            Figures = new[] { figure },
        };
    }
}
