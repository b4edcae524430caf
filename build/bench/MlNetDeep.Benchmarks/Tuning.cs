using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Samples.Data;
using MlNetDeep.Samples.Experiments;
using MlNetDeep.Samples.Experiments.Lab;
using MlNetDeep.Samples.Reporting;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// What TuneDenseNetwork reaches in a time budget on the embedded Fashion-MNIST subset (4,000 training images, 1,000
/// test images), beside the default DenseNetwork options, ML.NET's SdcaMaximumEntropy and LightGbm on the same rows:
/// test accuracy, test log-loss (nats) and seconds; with <c>--data mails</c> the same on the full SpamAssassin corpus
/// (the lab's seed-42 split: 4,534 training and 1,512 test mails, top-10,000-word bag of words fitted on the training
/// mails) beside SdcaLogisticRegression and LightGbm. Usage: <c>tune [--minutes N (5)] [--data images|mails]</c>.
/// </summary>
internal static class Tuning
{
    public static void Run(int minutes)
    {
        var source = DataSource.Resolve(null, full: false);
        var ml = new MLContext(1);
        var keys = ml.Transforms.Conversion.MapValueToKey("Label", keyData: ml.Data.LoadFromEnumerable(Enumerable.Range(0, 10).Select(i => new ClassValue { Label = i })));
        IDataView Load(IEnumerable<ImageExample> rows)
        {
            var view = ml.Data.LoadFromEnumerable(rows);
            return ml.Data.Cache(keys.Fit(view).Transform(view));
        }
        var train = Load(source.Images.Train);
        var test = Load(source.Images.Test);
        Console.WriteLine($"Fashion-MNIST embedded subset: {train.GetRowCount() ?? source.Images.Train.Count} training and {source.Images.Test.Count} test images; budget {minutes} min for the search; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine($"{"model",-44} {"test accuracy",13} {"test log-loss",13} {"seconds",8}");

        void Report(string name, ITransformer model, double seconds)
        {
            var m = ml.MulticlassClassification.Evaluate(model.Transform(test));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-44} {m.MicroAccuracy,13:F3} {m.LogLoss,13:F3} {seconds,8:F0}"));
        }

        var clock = Stopwatch.StartNew();
        var tuned = ml.MulticlassClassification.TuneDenseNetwork(train, new DenseNetworkTuningOptions { Seed = 1, MaxTime = TimeSpan.FromMinutes(minutes) });
        Report($"TuneDenseNetwork ({tuned.Trials.Count} trials)", tuned.BestModel, clock.Elapsed.TotalSeconds);
        var best = tuned.BestOptions;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  chosen: {tuned.BestTrial.Stage}: {tuned.BestTrial.Change}; refitted with hidden {string.Join("-", best.HiddenLayerSizes ?? Array.Empty<int>())}, {best.Epochs} epochs, rate {best.LearningRate:G3}, dropout {best.DropoutRate}, L2 {best.L2Regularization}, batch {best.BatchSize}; its CV held-out loss {tuned.BestTrial.Metric.Mean:F3}"));
        if (Environment.GetEnvironmentVariable("MLNETDEEP_TUNE_MARKDOWN") == "1")
            Console.WriteLine(tuned.ToMarkdown());

        clock.Restart();
        var plain = ml.MulticlassClassification.Trainers.DenseNetwork(new DenseNetworkOptions { Seed = 1 }).Fit(train);
        Report("DenseNetwork, default options", plain, clock.Elapsed.TotalSeconds);

        clock.Restart();
        var sdca = ml.MulticlassClassification.Trainers.SdcaMaximumEntropy().Fit(train);
        Report("SdcaMaximumEntropy", sdca, clock.Elapsed.TotalSeconds);

        clock.Restart();
        var lightGbm = ml.MulticlassClassification.Trainers.LightGbm().Fit(train);
        Report("LightGbm", lightGbm, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The search on the full spam corpus (installed by build/setup.sh); exit code 2 when it is not installed.</summary>
    public static int RunMails(int minutes)
    {
        DataSource source;
        try
        {
            source = DataSource.Resolve(null, full: true);
        }
        catch (DirectoryNotFoundException e)
        {
            Console.Error.WriteLine($"error: the full SpamAssassin corpus is not installed (run build/setup.sh): {e.Message}");
            return 2;
        }
        var ml = new MLContext(1);
        // the lab's own preparation of the mails (seed-42 split, vocabulary fitted on the training mails); it writes nothing
        var context = new ExperimentContext("tune", source, Path.GetTempPath(), new ConsoleReporter(TextWriter.Null, interactive: false)) { Full = true, Seed = 42 };
        var text = TextLab.Prepare(context, ml);
        var (train, test) = (text.Train, text.Test);
        Console.WriteLine($"SpamAssassin full corpus: {text.TrainRows} training and {text.TestRows} test mails, {text.VocabularySize} words; budget {minutes} min for the search; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine($"{"model",-44} {"test accuracy",13} {"test log-loss",13} {"seconds",8}");

        void Report(string name, ITransformer model, double seconds)
        {
            var (accuracy, loss) = TextLab.Score(model.Transform(test));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-44} {accuracy,13:F4} {loss,13:F4} {seconds,8:F0}"));
        }

        var clock = Stopwatch.StartNew();
        var tuned = ml.BinaryClassification.TuneDenseNetwork(train, new DenseNetworkTuningOptions { Seed = 1, MaxTime = TimeSpan.FromMinutes(minutes) });
        Report($"TuneDenseNetwork ({tuned.Trials.Count} trials)", tuned.BestModel, clock.Elapsed.TotalSeconds);
        var best = tuned.BestOptions;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  chosen: {tuned.BestTrial.Stage}: {tuned.BestTrial.Change}; refitted with hidden {string.Join("-", best.HiddenLayerSizes ?? Array.Empty<int>())}, {best.Epochs} epochs, rate {best.LearningRate:G3}, dropout {best.DropoutRate}, L2 {best.L2Regularization}, batch {best.BatchSize}; its CV held-out loss {tuned.BestTrial.Metric.Mean:F4}; completed {tuned.Completed}"));
        if (Environment.GetEnvironmentVariable("MLNETDEEP_TUNE_MARKDOWN") == "1")
            Console.WriteLine(tuned.ToMarkdown());

        clock.Restart();
        var plain = ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions { Seed = 1 }).Fit(train);
        Report("DenseNetwork, default options", plain, clock.Elapsed.TotalSeconds);

        clock.Restart();
        var sdca = ml.BinaryClassification.Trainers.SdcaLogisticRegression().Fit(train);
        Report("SdcaLogisticRegression", sdca, clock.Elapsed.TotalSeconds);

        clock.Restart();
        var lightGbm = ml.BinaryClassification.Trainers.LightGbm().Fit(train);
        Report("LightGbm", lightGbm, clock.Elapsed.TotalSeconds);
        return 0;
    }

    private sealed class ClassValue
    {
        public int Label { get; set; }
    }
}
