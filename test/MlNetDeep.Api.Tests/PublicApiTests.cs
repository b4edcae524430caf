using System.Reflection;

namespace MlNetDeep.Api.Tests;

/// <summary>
/// The public API of each packaged library, and every CustomMapping contract name, equals its checked-in baseline
/// (PublicApi/&lt;assembly&gt;.txt): users compile against the signatures and saved models name the contracts, so a change
/// to either must be deliberate. To accept a change: build/update-api.sh, review the diff, commit it with a CHANGELOG line.
/// </summary>
[TestClass]
public sealed class PublicApiTests
{
    /// <summary>Set to 1 to rewrite the baselines instead of comparing (what build/update-api.sh does).</summary>
    public const string UpdateVariable = "MLNETDEEP_UPDATE_API";

    [TestMethod]
    [DataRow("MlNetDeep.Core")]
    [DataRow("MlNetDeep.Trainers")]
    [DataRow("MlNetDeep.Transforms")]
    [DataRow("MlNetDeep.Evaluation")]
    public void PublicApi_EqualsCheckedInBaseline(string assemblyName)
    {
        string actual = PublicApiWriter.Write(Assembly.Load(assemblyName));
        string path = Path.Combine(BaselineDirectory(), assemblyName + ".txt");
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }
        Assert.IsTrue(File.Exists(path), $"There is no public-API baseline {path}. Run build/update-api.sh and commit the file.");
        string expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (expected != actual)
            Assert.Fail(PublicApiDiff.Describe(assemblyName, path, expected, actual));
    }

    [TestMethod]
    public void Describe_ChangedMember_ListsRemovedAndAddedLinesAndTheFix()
    {
        string message = PublicApiDiff.Describe("MlNetDeep.Core", "PublicApi/MlNetDeep.Core.txt",
            "a\npublic int X.Y { get; set; }\nc\n", "a\npublic long X.Y { get; set; }\nc\nd\n");

        StringAssert.Contains(message, "- public int X.Y { get; set; }");
        StringAssert.Contains(message, "+ public long X.Y { get; set; }");
        StringAssert.Contains(message, "+ d");
        StringAssert.Contains(message, "build/update-api.sh");
        Assert.IsFalse(message.Contains("- a"), message);
    }

    private static string BaselineDirectory() =>
        typeof(PublicApiTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "PublicApiDirectory").Value!;
}
