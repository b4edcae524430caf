namespace MlNetDeep.Cli.FanOut;

/// <summary>A fold whose worker failed or wrote no result: the merged result carries it as the fold's exception.</summary>
internal sealed class FoldTaskException(int task, string reason) : Exception($"Task {task}: {reason}")
{
    public int Task { get; } = task;
}
