using System.Text;
using MlNetDeep.Samples.Experiments;

namespace MlNetDeep.Samples.Cli;

/// <summary>The --help text.</summary>
internal static class Usage
{
    public static string Text(ExperimentRegistry registry)
    {
        var sb = new StringBuilder();
        sb.AppendLine("MlNetDeep overfitting lab: the lecture's experiments on real data.");
        sb.AppendLine();
        sb.AppendLine("Usage: dotnet run --project src/Samples -- <experiment|all|list> [options]");
        sb.AppendLine();
        sb.AppendLine("Commands:");
        sb.AppendLine("  <experiment>     run one experiment (names below)");
        sb.AppendLine("  all              run every experiment and write report.md into the output folder");
        sb.AppendLine("  list             list the experiments");
        sb.AppendLine();
        sb.AppendLine("Options:");
        sb.AppendLine("  --data DIR       a folder of MNIST idx files (train-images-idx3-ubyte[.gz], ...) or an IMDB aclImdb folder,");
        sb.AppendLine("                   used instead of the embedded Fashion-MNIST or SpamAssassin subset");
        sb.AppendLine("  --full           the full data sets installed by build/setup.sh instead of the embedded subset");
        sb.AppendLine($"  --out DIR        output folder for figures and report.md (default: {CommandLineOptions.DefaultOutputDirectory})");
        sb.AppendLine($"  --seed N         seed for shuffles, splits, noise and initialisation (default: {CommandLineOptions.DefaultSeed})");
        sb.AppendLine("  --budget B       normal (default) or tiny (a seconds-long smoke run)");
        sb.AppendLine("  -h, --help       show this help");
        sb.AppendLine();
        sb.AppendLine("Experiments:");
        int width = registry.Names.Select(n => n.Length).DefaultIfEmpty(0).Max();
        foreach (var e in registry)
            sb.AppendLine($"  {e.Name.PadRight(width)}  {e.Title}");
        sb.AppendLine();
        sb.AppendLine("Exit codes: 0 success, 1 an experiment failed, 2 bad arguments, 4 data missing or unreadable.");
        return sb.ToString();
    }
}
