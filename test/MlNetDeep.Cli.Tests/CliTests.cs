using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.VisualStudio.TestTools.UnitTesting;

[assembly: Parallelize(Workers = 1, Scope = ExecutionScope.ClassLevel)]

namespace MlNetDeep.Cli.Tests;

/// <summary>The mlnetdeep command line run in-process, as a user types it, on files written by the tests.</summary>
[TestClass]
public sealed class CliTests
{
    private static string _folder = null!;

    [ClassInitialize]
    public static void WriteFiles(TestContext _)
    {
        _folder = Path.Combine(Path.GetTempPath(), "mlnetdeep-cli-tests-" + Environment.ProcessId);
        Directory.CreateDirectory(_folder);
        var random = new Random(1);
        var csv = new StringBuilder("id,age,income,plan,comment,churned\n");
        var words = new[] { "great", "slow", "cheap", "support", "billing", "fast", "broken", "love" };
        for (int i = 0; i < 600; i++)
        {
            double age = 18 + random.Next(60), income = 20 + random.NextDouble() * 80;
            string plan = new[] { "basic", "plus", "pro" }[random.Next(3)];
            bool complains = random.NextDouble() < 0.4;
            string comment = string.Join(' ', Enumerable.Range(0, 6).Select(_ => complains && random.NextDouble() < 0.5 ? "broken" : words[random.Next(words.Length)]));
            double logit = -0.04 * (age - 45) + (plan == "basic" ? 1.0 : -0.5) + (complains ? 1.5 : -1.0);
            string churned = random.NextDouble() < 1 / (1 + Math.Exp(-logit)) ? "yes" : "no";
            csv.Append(CultureInfo.InvariantCulture, $"{i},{age},{(i % 50 == 0 ? "" : income.ToString("F2", CultureInfo.InvariantCulture))},{plan},\"{comment}, ok\",{churned}\n");
        }
        File.WriteAllText(Path.Combine(_folder, "churn.csv"), csv.ToString());

        var tsv = new StringBuilder("x1\tx2\tprice\n");
        for (int i = 0; i < 400; i++)
        {
            double x1 = random.NextDouble(), x2 = random.NextDouble();
            tsv.Append(CultureInfo.InvariantCulture, $"{x1:F4}\t{x2:F4}\t{100 + 50 * x1 - 30 * x2 + random.NextDouble():F3}\n");
        }
        File.WriteAllText(Path.Combine(_folder, "prices.tsv"), tsv.ToString());
    }

    [ClassCleanup]
    public static void Remove() => Directory.Delete(_folder, recursive: true);

    [TestMethod]
    public void Train_CsvWithStringLabelNumbersCategoriesAndText_WritesAModelThatPredicts()
    {
        string data = Path.Combine(_folder, "churn.csv"), output = Path.Combine(_folder, "churn-model");
        var (code, text) = Cli.Run("train", "--data", data, "--label", "churned", "--ignore", "id", "--time", "60s", "--out", output);

        Assert.AreEqual(0, code, text);
        StringAssert.Contains(text, "Binary on 'churned' (inferred), 4 feature column(s), separator ',', positive class 'yes'");
        // the test console is not interactive: one plain line per trial instead of a bar
        StringAssert.Matches(text, new System.Text.RegularExpressions.Regex(@"(?m)^trial 1 \(\w+: .+\): [\d.]+, \w+; 1/30 trials, \d+ s of \d+ s$"));
        foreach (var file in new[] { "model.zip", "report.md", "learning-curve.png", "learning-rate.png" })
            Assert.IsTrue(File.Exists(Path.Combine(output, file)), file);
        string report = File.ReadAllText(Path.Combine(output, "report.md"));
        StringAssert.Contains(report, "| comment | text |");
        StringAssert.Contains(report, "| plan | categorical | 3 |");
        StringAssert.Contains(report, "| income | numeric |");
        StringAssert.Contains(report, "| id | dropped |");
        StringAssert.Contains(report, "## Diagnosis");
        var accuracy = double.Parse(report.Split('\n').First(l => l.StartsWith("| Accuracy |", StringComparison.Ordinal)).Split('|')[2], CultureInfo.InvariantCulture);
        Assert.IsGreaterThan(0.6, accuracy, report);

        // predict on rows without the label: one prediction per row, classes in the file's own words
        string rows = Path.Combine(_folder, "churn-new.csv");
        File.WriteAllLines(rows, File.ReadLines(data).Take(21).Select(l => l[..l.LastIndexOf(',')]));
        string predictions = Path.Combine(_folder, "churn-predictions.csv");
        var (predictCode, predictText) = Cli.Run("predict", "--model", Path.Combine(output, "model.zip"), "--data", rows, "--out", predictions);
        Assert.AreEqual(0, predictCode, predictText);
        StringAssert.Contains(predictText, "read as missing (not in the file): churned");
        var lines = File.ReadAllLines(predictions);
        Assert.AreEqual("PredictedClass,PredictedLabel,Probability,Score", lines[0]);
        Assert.HasCount(21, lines);
        Assert.IsTrue(lines.Skip(1).All(l => l.StartsWith("yes,true,", StringComparison.Ordinal) || l.StartsWith("no,false,", StringComparison.Ordinal)), string.Join("\n", lines));

        // the zip is a plain ML.NET model: Model.Load and Transform on the original file's columns
        var ml = new MLContext(1);
        var model = ml.Model.Load(Path.Combine(output, "model.zip"), out var schema);
        Assert.IsNotNull(schema.GetColumnOrNull("comment"));
        Assert.IsNotNull(model);
    }

    [TestMethod]
    public void Train_GeneratedConsumptionCode_CompilesAndPredictsAsThePredictCommand()
    {
        string data = Path.Combine(_folder, "churn.csv"), output = Path.Combine(_folder, "churn-code");
        var (code, text) = Cli.Run("train", "--data", data, "--label", "churned", "--ignore", "id", "--time", "60s", "--out", output);
        Assert.AreEqual(0, code, text);
        string source = File.ReadAllText(Path.Combine(output, "TrainedModel.cs"));

        // compile TrainedModel.cs as a user's project would, against the assemblies this test already loads
        _ = typeof(Microsoft.ML.Data.TextLoader);
        var references = AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic && a.Location.Length > 0)
            .Select(a => Microsoft.CodeAnalysis.MetadataReference.CreateFromFile(a.Location));
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("Consumer",
            new[] { Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(source, new Microsoft.CodeAnalysis.CSharp.CSharpParseOptions(Microsoft.CodeAnalysis.CSharp.LanguageVersion.Latest)) },
            references, new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(Microsoft.CodeAnalysis.OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: Microsoft.CodeAnalysis.NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.IsTrue(emitted.Success, string.Join("\n", emitted.Diagnostics) + "\n" + source);
        var assembly = System.Reflection.Assembly.Load(image.ToArray());
        var inputType = assembly.GetType("MlNetDeepModel.ModelInput")!;
        var model = assembly.GetType("MlNetDeepModel.TrainedModel")!;
        model.GetProperty("ModelPath")!.SetValue(null, Path.Combine(output, "model.zip"));

        // the same rows through `mlnetdeep predict`
        string predictions = Path.Combine(_folder, "churn-code-predictions.csv");
        Assert.AreEqual(0, Cli.Run("predict", "--model", Path.Combine(output, "model.zip"), "--data", data, "--out", predictions).Code);
        var expected = File.ReadLines(predictions).Skip(1).Take(30).Select(l => l.Split(',')).ToArray();
        var rows = File.ReadLines(data).Skip(1).Take(30).Select(l => CsvFields(l)).ToArray();
        for (int i = 0; i < rows.Length; i++)
        {
            var input = Activator.CreateInstance(inputType)!;
            inputType.GetProperty("Id")!.SetValue(input, float.Parse(rows[i][0], CultureInfo.InvariantCulture));
            inputType.GetProperty("Age")!.SetValue(input, float.Parse(rows[i][1], CultureInfo.InvariantCulture));
            inputType.GetProperty("Income")!.SetValue(input, rows[i][2].Length == 0 ? float.NaN : float.Parse(rows[i][2], CultureInfo.InvariantCulture));
            inputType.GetProperty("Plan")!.SetValue(input, rows[i][3]);
            inputType.GetProperty("Comment")!.SetValue(input, rows[i][4]);
            var prediction = model.GetMethod("Predict")!.Invoke(null, new[] { input })!;
            Assert.AreEqual(expected[i][0], prediction.GetType().GetProperty("PredictedClass")!.GetValue(prediction), $"row {i}");
            Assert.AreEqual(float.Parse(expected[i][2], CultureInfo.InvariantCulture), (float)prediction.GetType().GetProperty("Probability")!.GetValue(prediction)!, $"row {i}: {string.Join("|", rows[i])} vs {string.Join(",", expected[i])}; got {prediction.GetType().GetProperty("Probability")!.GetValue(prediction)} {prediction.GetType().GetProperty("Score")!.GetValue(prediction)}");
        }
    }

    private static string[] CsvFields(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        foreach (char ch in line)
        {
            if (ch == '"')
                quoted = !quoted;
            else if (ch == ',' && !quoted)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
                field.Append(ch);
        }
        fields.Add(field.ToString());
        return fields.ToArray();
    }

    [TestMethod]
    public void Train_BadFiles_OneLineErrorAndExitCode2()
    {
        string empty = Path.Combine(_folder, "empty.csv");
        File.WriteAllText(empty, "");
        var (code, text) = Cli.Run("train", "--data", empty, "--label", "y", "--out", Path.Combine(_folder, "x"));
        Assert.AreEqual(CliApp.UserError, code);
        StringAssert.Contains(text, "is empty: expected a header row");

        string oneClass = Path.Combine(_folder, "one-class.csv");
        File.WriteAllLines(oneClass, new[] { "x,y" }.Concat(Enumerable.Range(0, 20).Select(i => $"{i},yes")));
        (code, text) = Cli.Run("train", "--data", oneClass, "--label", "y", "--out", Path.Combine(_folder, "x"));
        Assert.AreEqual(CliApp.UserError, code);
        StringAssert.Contains(text, "Column 'y' has 1 distinct value(s)");

        string ragged = Path.Combine(_folder, "ragged.csv");
        File.WriteAllLines(ragged, new[] { "x,y", "1,a", "2,b,3" });
        (code, text) = Cli.Run("train", "--data", ragged, "--label", "y", "--out", Path.Combine(_folder, "x"));
        Assert.AreEqual(CliApp.UserError, code);
        StringAssert.Contains(text, "line 3 has 3 fields; the header has 2");
    }

    [TestMethod]
    public void Train_AllMissingColumn_IsDroppedAndTrainingGoesOn()
    {
        string file = Path.Combine(_folder, "with-empty.csv"), output = Path.Combine(_folder, "with-empty-model");
        var random = new Random(5);
        File.WriteAllLines(file, new[] { "x,blank,y" }.Concat(Enumerable.Range(0, 200).Select(i =>
        {
            double x = random.NextDouble();
            return string.Create(CultureInfo.InvariantCulture, $"{x:F4},,{(x + 0.2 * random.NextDouble() > 0.6 ? "hi" : "lo")}");
        })));
        var (code, text) = Cli.Run("train", "--data", file, "--label", "y", "--time", "60s", "--out", output);
        Assert.AreEqual(0, code, text);
        StringAssert.Contains(File.ReadAllText(Path.Combine(output, "report.md")), "| blank | dropped | 0 |");
    }

    [TestMethod]
    public void Train_TsvWithManyNumericLabelValues_InfersRegression()
    {
        string output = Path.Combine(_folder, "prices-model");
        var (code, text) = Cli.Run("train", "--data", Path.Combine(_folder, "prices.tsv"), "--label", "price", "--time", "60s", "--out", output);
        Assert.AreEqual(0, code, text);
        StringAssert.Contains(text, "Regression on 'price' (inferred), 2 feature column(s), separator '\\t'");
        StringAssert.Contains(text, "RSquared");
    }

    [TestMethod]
    public void Train_UnknownLabelColumn_ExitsWithUserErrorListingTheColumns()
    {
        var (code, text) = Cli.Run("train", "--data", Path.Combine(_folder, "churn.csv"), "--label", "Churn", "--time", "5s", "--out", Path.Combine(_folder, "x"));
        Assert.AreEqual(CliApp.UserError, code);
        StringAssert.Contains(text, "The file has no column 'Churn'. Its columns: 'id', 'age', 'income', 'plan', 'comment', 'churned'.");
    }

    [TestMethod]
    public void Train_BadOptionValues_ExplainWhatIsExpected()
    {
        var (code, text) = Cli.Run("train", "--data", "a.csv", "--label", "y", "--time", "soon");
        Assert.AreNotEqual(0, code);
        StringAssert.Contains(text, "--time must be a duration such as 30s, 5m or 1h; received 'soon'.");
        (code, text) = Cli.Run("train", "--data", Path.Combine(_folder, "missing.csv"), "--label", "y");
        Assert.AreEqual(CliApp.UserError, code);
        StringAssert.Contains(text, "does not exist");
        (code, text) = Cli.Run("train", "--data", Path.Combine(_folder, "churn.csv"), "--label", "plan", "--task", "binary", "--out", Path.Combine(_folder, "x"));
        Assert.AreEqual(CliApp.UserError, code);
        StringAssert.Contains(text, "--task binary needs a label with two values; column 'plan' has 3");
    }

    [TestMethod]
    public void Lab_List_RunsTheLecturesLab()
    {
        var writer = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(writer);
        try
        {
            var (code, _) = Cli.Run("lab", "list");
            Assert.AreEqual(0, code);
        }
        finally
        {
            Console.SetOut(previous);
        }
        StringAssert.Contains(writer.ToString(), "noise");
    }

    [TestMethod]
    public void Lab_Help_ShowsTheLabsCommandsUnderTheToolsName()
    {
        var writer = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(writer);
        try
        {
            var (code, _) = Cli.Run("lab", "--help");
            Assert.AreEqual(0, code);
        }
        finally
        {
            Console.SetOut(previous);
        }
        StringAssert.Contains(writer.ToString(), "mlnetdeep lab [OPTIONS] <COMMAND>");
        StringAssert.Contains(writer.ToString(), "early-stopping");
    }
}
