namespace MlNetDeep.Cli.FanOut;

/// <summary>Turns a <c>TuneDenseNetwork</c> search into a fanned-out one: its folds train as job arrays, its logic stays in this process.</summary>
internal static class SearchFanOut
{
    /// <summary>
    /// Makes <paramref name="options"/>' search train the folds of each batch of trials as one job array of
    /// <paramref name="jobArray"/>, with the search's files in <paramref name="folder"/> (shared with the nodes).
    /// </summary>
    public static void Use(DenseNetworkTuningOptions options, IJobArray jobArray, string folder, Action<string> log)
    {
        string path = Path.GetFullPath(folder);
        options.FoldExecutor = context => new JobArrayFoldExecutor(context, jobArray, path, log);
    }
}
