using System.Globalization;
using Microsoft.ML;

namespace MlNetDeep.Cli.FanOut;

/// <summary>
/// Trains a search's folds as job arrays: each batch of trials the search runs (a stage's trial, a successive-halving
/// rung, the finalists) becomes one array of (trial × fold) tasks. The first batch writes the search's rows
/// (data.idv) and search.json into <c>directory</c>; each batch writes batch-N/batch.json, runs its tasks through the
/// <see cref="IJobArray"/>, and hands each task's outcome to the search as it appears. The search logic — what the
/// next batch is — stays in the driver. The folder must be at the same path on every node.
/// </summary>
internal sealed class JobArrayFoldExecutor : IFoldExecutor
{
    private readonly FoldExecutorContext _context;
    private readonly IJobArray _jobArray;
    private readonly string _directory;
    private readonly Action<string> _log;
    private string? _searchFile;
    private int _batches;

    /// <exception cref="ArgumentException">The template's options cannot travel to a worker (class weights per label value).</exception>
    public JobArrayFoldExecutor(FoldExecutorContext context, IJobArray jobArray, string directory, Action<string> log)
    {
        _context = context;
        _jobArray = jobArray;
        _directory = Path.GetFullPath(directory);
        _log = log;
        var template = context.Options.Template();
        template.Progress = null; // the search turns it off for every trial
        PortableOptions.From(template); // refuse options that cannot travel before anything trains
    }

    /// <summary>The folder of the search's files.</summary>
    public string Directory => _directory;

    public void Execute(IReadOnlyList<FoldJob> jobs, Func<FoldJob, bool> mayStart, Action<FoldJob, FoldOutcome> finished, CancellationToken token)
    {
        if (token.IsCancellationRequested)
            return;
        var admitted = jobs.Where(mayStart).ToList();
        if (admitted.Count == 0)
            return;
        string searchFile = _searchFile ??= WriteSearch();
        string folder = Path.Combine(_directory, string.Create(CultureInfo.InvariantCulture, $"batch-{++_batches}"));
        System.IO.Directory.CreateDirectory(folder);
        var batch = new TuningBatchPlan
        {
            SearchFile = searchFile,
            Jobs = admitted.Select(j => new TuningJob(j.Fold.Repeat, j.Fold.Index, PortableOptions.From(j.Options))).ToArray(),
            OutputDirectory = folder,
        };
        string batchPath = Path.Combine(folder, TuningBatchPlan.FileName);
        batch.Write(batchPath);

        var pending = new SortedSet<int>(Enumerable.Range(0, admitted.Count));
        (int Task, string Message)? error = null;
        bool Collect()
        {
            foreach (int task in pending.ToArray())
            {
                if (TuningTaskResult.TryRead(batch.TaskDirectory(task)) is not { } result)
                    continue;
                pending.Remove(task);
                if (result.Outcome is { } outcome)
                    finished(admitted[task], outcome.ToOutcome());
                else
                    error ??= (task, string.Create(CultureInfo.InvariantCulture, $"task {task} of {folder} ({Describe(admitted[task])}) failed on {result.Host}: {result.Error}"));
            }
            return error is null;
        }

        var cpus = admitted.Max(j => j.Options.NumberOfThreads ?? 1);
        _jobArray.Run(batchPath, admitted.Count, _context.Options.MaxParallelTrials, cpus, Collect, token);
        Collect();
        if (error is not null)
            throw new InvalidOperationException($"A fold of the search failed: {error.Value.Message}. See its log {_jobArray.LogOf(batchPath, error.Value.Task)}.");
        if (pending.Count > 0 && !token.IsCancellationRequested)
        {
            int task = pending.Min;
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"Task {task} of {folder} ({Describe(admitted[task])}) ended without writing its result; see its log {_jobArray.LogOf(batchPath, task)}."));
        }
        // a deadline or a cancellation stopped the array: the folds without a result are left out, as local ones are
    }

    /// <summary>Writes the rows the folds select from and the fold plan's recipe, once per search.</summary>
    private string WriteSearch()
    {
        System.IO.Directory.CreateDirectory(_directory);
        string data = Path.Combine(_directory, TuningSearchPlan.DataFileName);
        var ml = new MLContext(_context.Seed);
        using (var stream = File.Create(data))
            ml.Data.SaveAsBinary(_context.Plan.Data, stream, keepHidden: false);
        var search = new TuningSearchPlan
        {
            Task = _context.Task.Name,
            DataFile = data,
            DataBytes = new FileInfo(data).Length,
            DataSha256 = FanOutPlan.Sha256(data),
            Recipe = _context.Plan.Recipe,
            Seed = _context.Seed,
            Folds = _context.Plan.Folds.Select(f => new PlannedFold(f.Repeat, f.Index, f.TrainingRows, f.HeldOutBaseline, f.ValidationBaseline)).ToArray(),
        };
        string path = Path.Combine(_directory, TuningSearchPlan.FileName);
        search.Write(path);
        _log(string.Create(CultureInfo.InvariantCulture, $"search rows written to {data} ({_context.Plan.Rows} rows, {search.DataBytes} bytes)"));
        return path;
    }

    private static string Describe(FoldJob job) => string.Create(CultureInfo.InvariantCulture,
        $"repeat {job.Fold.Repeat + 1}, fold {job.Fold.Index + 1}, HiddenLayerSizes [{string.Join(", ", job.Options.HiddenLayerSizes ?? Array.Empty<int>())}]");
}
