using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;

namespace MlNetDeep.Cli.FanOut;

/// <summary>
/// The worker of a fanned-out search: loads the search's rows, rebuilds its folds from the recipe (and checks them
/// against the driver's), trains its task's fold through the same <see cref="FoldTraining.Train"/> a local search
/// uses, and writes the outcome. A fold that fails writes a result saying why (and returns it); only a bad task
/// number or a missing or changed data file throw.
/// </summary>
internal static class TuningWorker
{
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="task"/> is not a task of the batch.</exception>
    /// <exception cref="InvalidDataException">The data changed, or the rebuilt folds differ from the driver's.</exception>
    public static TuningTaskResult RunTask(TuningBatchPlan batch, int task)
    {
        var job = Job(batch, task);
        var clock = Stopwatch.StartNew();
        var search = TuningSearchPlan.Read(batch.SearchFile);
        search.CheckDataFile();
        var tuningTask = search.TuningTask();
        var ml = new MLContext(search.Seed);
        var data = ml.Data.Cache(ml.Data.LoadFromBinary(search.DataFile));
        var plan = FoldPlan.Create(data, tuningTask, search.Recipe);
        Check(plan, search);
        var fold = plan.Folds.Single(f => f.Repeat == job.Repeat && f.Index == job.Fold);
        TuningTaskResult result;
        try
        {
            var outcome = FoldTraining.Train(tuningTask, job.Options.ToOptions(), fold, search.Seed, CancellationToken.None, TimeProvider.System);
            result = new TuningTaskResult { Task = task, Outcome = PortableFoldOutcome.From(outcome), Seconds = clock.Elapsed.TotalSeconds, Host = Environment.MachineName };
        }
        catch (Exception ex)
        {
            result = new TuningTaskResult { Task = task, Error = $"{ex.GetType().Name}: {ex.Message}", Seconds = clock.Elapsed.TotalSeconds, Host = Environment.MachineName };
        }
        result.Write(batch.TaskDirectory(task));
        return result;
    }

    /// <summary>The batch's task <paramref name="task"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="task"/> is not a task of the batch.</exception>
    public static TuningJob Job(TuningBatchPlan batch, int task) =>
        task >= 0 && task < batch.Jobs.Count
            ? batch.Jobs[task]
            : throw new ArgumentOutOfRangeException(nameof(task), task,
                $"Invalid value for task: expected 0 to {batch.Jobs.Count - 1} (the batch's folds). Received: task={task}.");

    /// <summary>Throws unless the rebuilt folds have the driver's sizes and constant-prediction losses, to the bit.</summary>
    private static void Check(FoldPlan plan, TuningSearchPlan search)
    {
        var rebuilt = plan.Folds.Select(f => new PlannedFold(f.Repeat, f.Index, f.TrainingRows, f.HeldOutBaseline, f.ValidationBaseline)).ToArray();
        if (!rebuilt.SequenceEqual(search.Folds))
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"The folds rebuilt from '{search.DataFile}' differ from the driver's ({rebuilt.Length} folds here, {search.Folds.Count} planned): the data or the library version differs between the driver and this worker."));
    }
}
