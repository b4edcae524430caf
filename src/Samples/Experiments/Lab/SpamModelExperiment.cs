using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MlNetDeep.Samples.Data;
using MlNetDeep.Samples.ModelBuilder;

namespace MlNetDeep.Samples.Experiments.Lab;

/// <summary>
/// The Model Builder-style script end to end: train and save the spam classifier, then score mails in a fresh
/// process (<c>MlNetDeep.Samples predict MODEL TEXT</c>) and check it agrees with this process.
/// </summary>
internal static class SpamModelExperiment
{
    public static ExperimentResult Run(ExperimentContext context)
    {
        var ml = context.CreateMLContext();
        var split = context.Data.Text.Split(context.Seed);
        var train = ml.Data.LoadFromEnumerable(context.Rows(split.Train, 200).Select(e => new SpamModelInput { Text = e.Text, Label = e.Label }));
        var test = context.Rows(split.Test, 50).Select(e => new SpamModelInput { Text = e.Text, Label = e.Label }).ToArray();

        var model = SpamModel.Train(ml, train, context.Epochs(20), context.Seed, context.Reporter.ForRun("spam model", context.Epochs(20)));
        var path = context.OutputPath("model.zip");
        SpamModel.Save(ml, model, train.Schema, path);
        double accuracy = ml.BinaryClassification.Evaluate(model.Transform(ml.Data.LoadFromEnumerable(test))).Accuracy;

        var engine = ml.Model.CreatePredictionEngine<SpamModelInput, SpamModelOutput>(model);
        var probes = test.Take(3).ToArray();
        int agreed = 0;
        foreach (var probe in probes)
        {
            var here = engine.Predict(probe);
            var there = PredictInFreshProcess(path, probe.Text);
            if (there == here.Probability.ToString("R", CultureInfo.InvariantCulture))
                agreed++;
        }

        string verdict = string.Create(CultureInfo.InvariantCulture,
            $"spam model (bag-of-words + 16-16) test accuracy {accuracy:F3}; saved to {Path.GetFileName(path)}; a fresh process loading the zip gave identical probabilities for {agreed}/{probes.Length} mails");
        if (agreed != probes.Length)
            throw new InvalidOperationException(verdict);
        return new ExperimentResult(verdict) { Numbers = new Dictionary<string, double> { ["test_accuracy"] = accuracy, ["fresh_process_agreement"] = agreed } };
    }

    /// <summary>Runs this program's <c>predict</c> command in a new process; returns the probability it printed.</summary>
    private static string PredictInFreshProcess(string modelPath, string text)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(typeof(SpamModelExperiment).Assembly.Location);
        psi.ArgumentList.Add("predict");
        psi.ArgumentList.Add(modelPath);
        psi.ArgumentList.Add(text);
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"predict process failed ({process.ExitCode}): {error}");
        var line = output.Split('\n').First(l => l.StartsWith("probability ", StringComparison.Ordinal));
        return line["probability ".Length..].Trim();
    }
}
