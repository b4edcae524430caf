using Microsoft.ML;
using MlNetDeep.Samples.Data;

namespace MlNetDeep.Samples.Tests;

/// <summary>The README's quick start, verbatim apart from where the mails come from, so it keeps compiling and running.</summary>
[TestClass]
public sealed class ReadmeQuickStartTests
{
    public sealed class MailRow
    {
        [Microsoft.ML.Data.LoadColumn(0)] public string Text { get; set; } = "";
        [Microsoft.ML.Data.LoadColumn(1)] public bool Label { get; set; }
    }

    [TestMethod]
    public void QuickStart_SpamSubset_TrainsEvaluatesAndSaves()
    {
        using var temp = new TempDirectory();
        var tsv = Path.Combine(temp.Path, "mails.tsv");
        var mails = DataSource.Resolve(null, full: false).Text.Examples;
        File.WriteAllLines(tsv, new[] { "Text\tLabel" }.Concat(mails.Select(m => $"{Clean(m.Text)}\t{m.Label}")));
        var previousDirectory = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(temp.Path); // the README's code uses relative file names
        try
        {
            RunQuickStart(temp.Path);
        }
        finally
        {
            Directory.SetCurrentDirectory(previousDirectory); // later tests must not find a deleted working folder
        }
    }

    private static void RunQuickStart(string folder)
    {
        // ---- README quick start ----
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromTextFile<MailRow>("mails.tsv", hasHeader: true); // Text, Label (bool)
        data = ml.Data.ShuffleRows(data, seed: 1);   // ValidationFraction takes the last rows, as Keras: never leave them sorted by class
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.25, seed: 1);

        var pipeline = ml.Transforms.Text.VectorizeBagOfWords("Features", "Text", maximumVocabularySize: 10000)
            .Append(ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions
            {
                HiddenLayerSizes = new[] { 16, 16 },
                Epochs = 20,
                BatchSize = 128,
                ValidationFraction = 0.4,
                EarlyStopping = new EarlyStoppingOptions { Patience = 2, RestoreBestWeights = true },
                Seed = 1,
            }));

        var model = pipeline.Fit(split.TrainSet);
        var network = (DenseNetworkTransformer)model.LastTransformer;
        Console.WriteLine(network.History);
        Console.WriteLine(ml.BinaryClassification.Evaluate(model.Transform(split.TestSet)).Accuracy);
        ml.Model.Save(model, data.Schema, "spam.zip");
        // ---- end ----

        Assert.IsTrue(File.Exists(Path.Combine(folder, "spam.zip")));
        Assert.IsGreaterThan(0, network.History.Count);
        Assert.IsGreaterThan(0.8, ml.BinaryClassification.Evaluate(model.Transform(split.TestSet)).Accuracy);
    }

    private static string Clean(string text) => text.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
}
