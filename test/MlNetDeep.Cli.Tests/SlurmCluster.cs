using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MlNetDeep.Cli.Tests;

/// <summary>
/// The single-node Slurm cluster of <c>build/slurm.sh</c> for one test: started (the test is inconclusive, with the
/// script's reason, where Slurm cannot be installed), <c>SLURM_CONF</c> pointed at it, and on disposal the previous
/// <c>SLURM_CONF</c> restored and the cluster stopped — with no daemon left — if this test started it.
/// </summary>
internal sealed class SlurmCluster : IDisposable
{
    private static readonly string[] PidFiles = { "slurmctld.pid", "slurmd.pid", "munged.pid" };

    private readonly string _repository;
    private readonly bool _startedHere;
    private readonly string? _previousConf;

    private SlurmCluster(string repository, bool startedHere, string? previousConf)
    {
        _repository = repository;
        _startedHere = startedHere;
        _previousConf = previousConf;
    }

    /// <summary>Starts the cluster (or joins the one already running) and sets <c>SLURM_CONF</c> for this process.</summary>
    public static SlurmCluster Start()
    {
        string repo = FanOutTests.RepositoryRoot();
        var start = FanOutTests.Bash(repo, "build/slurm.sh start");
        if (start.Code == 3)
            Assert.Inconclusive($"Slurm cannot be installed here: {start.Error.Trim()}");
        Assert.AreEqual(0, start.Code, $"build/slurm.sh start failed:\n{start.Error}\n{start.Output}");
        var cluster = new SlurmCluster(repo, !start.Error.Contains("already running", StringComparison.Ordinal), Environment.GetEnvironmentVariable("SLURM_CONF"));
        try
        {
            string conf = start.Output.Split('\n').Single(l => l.StartsWith("export SLURM_CONF=", StringComparison.Ordinal))["export SLURM_CONF=".Length..].Trim();
            Environment.SetEnvironmentVariable("SLURM_CONF", conf);
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("SLURM_CONF", _previousConf);
        if (!_startedHere)
            return;
        var stop = FanOutTests.Bash(_repository, "build/slurm.sh stop");
        Assert.AreEqual(0, stop.Code, stop.Error);
        string check = "for f in " + string.Join(" ", PidFiles.Select(f => "/tmp/mlnetdeep-slurm/" + f))
            + "; do [[ -s $f ]] && kill -0 $(cat $f) 2>/dev/null && echo alive $f; done; true";
        Assert.AreEqual("", FanOutTests.Bash(_repository, check).Output.Trim(), "no daemon left running");
    }
}
