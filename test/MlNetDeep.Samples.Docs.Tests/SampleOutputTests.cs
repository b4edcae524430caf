using System.Reflection;
using System.Text.RegularExpressions;

namespace MlNetDeep.Samples.Docs.Tests;

/// <summary>Runs every docs sample and compares what it prints with its own "// Expected output:" block.</summary>
[TestClass]
public sealed partial class SampleOutputTests
{
    private static readonly Assembly SamplesAssembly = typeof(global::Samples.Dynamic.Data.ShuffleLabels).Assembly;

    private static string SourcesDirectory => Path.Combine(AppContext.BaseDirectory, "SampleSources");

    /// <summary>Every sample: the public static classes with a public static Example().</summary>
    public static IEnumerable<object[]> Samples() =>
        SamplesAssembly.GetTypes()
            .Where(t => t.IsPublic && t.IsAbstract && t.IsSealed && t.GetMethod("Example", BindingFlags.Public | BindingFlags.Static) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => new object[] { t.FullName! });

    [TestMethod]
    public void EverySampleFile_HasOneSampleClass()
    {
        var files = Directory.GetFiles(SourcesDirectory, "*.cs", SearchOption.AllDirectories);
        Assert.AreEqual(files.Length, Samples().Count(), "one sample class per file");
        Assert.IsTrue(files.Length >= 15, $"expected at least 15 samples; found {files.Length}");
    }

    [TestMethod]
    [DynamicData(nameof(Samples))]
    public void Example_PrintsItsExpectedOutput(string sampleName)
    {
        var type = SamplesAssembly.GetType(sampleName)!;
        var expected = ReadExpectedOutput(FindSource(type));

        var actual = Run(type);

        CollectionAssert.AreEqual(expected, actual,
            $"{sampleName} printed:\n{string.Join("\n", actual)}\n\nexpected:\n{string.Join("\n", expected)}");
    }

    private static string[] Run(Type sample)
    {
        var original = Console.Out;
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        var writer = new StringWriter { NewLine = "\n" };
        try
        {
            // the expected blocks are written with '.' decimals, as ML.NET's samples: pin the culture a CI agent may not have
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
            Console.SetOut(writer);
            sample.GetMethod("Example")!.Invoke(null, null);
        }
        finally
        {
            Console.SetOut(original);
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }
        return writer.ToString().Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToArray();
    }

    /// <summary>The one source file that declares <paramref name="sample"/>'s class in its namespace.</summary>
    private static string FindSource(Type sample)
    {
        var matches = Directory.GetFiles(SourcesDirectory, sample.Name + ".cs", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f).Contains($"namespace {sample.Namespace};", StringComparison.Ordinal))
            .ToArray();
        Assert.AreEqual(1, matches.Length, $"expected one source file for {sample.FullName}; found {matches.Length}");
        return matches[0];
    }

    /// <summary>The comment lines after "// Expected output:", without "//" and the indentation, up to the first non-comment line.</summary>
    private static string[] ReadExpectedOutput(string path)
    {
        var lines = File.ReadAllLines(path);
        int start = Array.FindIndex(lines, l => l.Trim() == "// Expected output:");
        Assert.IsTrue(start >= 0, $"{path} has no '// Expected output:' block");
        return lines.Skip(start + 1)
            .TakeWhile(l => l.TrimStart().StartsWith("//", StringComparison.Ordinal))
            .Select(l => CommentPrefix().Replace(l, "").TrimEnd())
            .Where(l => l.Length > 0)
            .ToArray();
    }

    [GeneratedRegex(@"^\s*//\s{0,3}")]
    private static partial Regex CommentPrefix();
}
