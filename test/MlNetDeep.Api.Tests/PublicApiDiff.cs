using System.Text;

namespace MlNetDeep.Api.Tests;

/// <summary>Says how an assembly's public API differs from its baseline, line by line, and how to accept the change.</summary>
internal static class PublicApiDiff
{
    public static string Describe(string assemblyName, string baselinePath, string expected, string actual)
    {
        var before = Lines(expected);
        var after = Lines(actual);
        var removed = before.Where(l => !after.Contains(l)).ToList();
        var added = after.Where(l => !before.Contains(l)).ToList();
        var sb = new StringBuilder();
        sb.AppendLine($"The public API of {assemblyName} differs from its baseline {baselinePath}.");
        if (removed.Count > 0)
        {
            sb.AppendLine($"In the baseline, not in the assembly ({removed.Count}): a removed or changed signature breaks users' code, a changed contract breaks saved models:");
            removed.ForEach(l => sb.AppendLine("- " + l));
        }
        if (added.Count > 0)
        {
            sb.AppendLine($"In the assembly, not in the baseline ({added.Count}):");
            added.ForEach(l => sb.AppendLine("+ " + l));
        }
        if (removed.Count == 0 && added.Count == 0)
            sb.AppendLine("Same lines in another order.");
        sb.AppendLine("If the change is deliberate: run build/update-api.sh, review `git diff test/MlNetDeep.Api.Tests/PublicApi`, add a line to CHANGELOG.md, and commit both.");
        return sb.ToString();
    }

    private static List<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
}
