using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MlNetDeep.Cli.FanOut;

namespace MlNetDeep.Cli.Tests;

/// <summary>
/// A <c>TuneDenseNetwork</c> search whose folds train as job arrays (one per batch of trials: worker processes on a
/// Slurm cluster, or the same worker code run task by task in this process) against the same search run locally.
/// </summary>
[TestClass]
public sealed class SearchFanOutTests
{
    private static string _folder = null!;

    public sealed class Row
    {
        public bool Label { get; set; }
        [VectorType(6)] public float[] Features { get; set; } = Array.Empty<float>();
    }

    public sealed class ClassRow
    {
        public string Label { get; set; } = "";
        [VectorType(6)] public float[] Features { get; set; } = Array.Empty<float>();
    }

    [ClassInitialize]
    public static void MakeFolder(TestContext _)
    {
        _folder = Path.Combine(Path.GetTempPath(), "mlnetdeep-search-fanout-tests-" + Environment.ProcessId);
        Directory.CreateDirectory(_folder);
    }

    [ClassCleanup]
    public static void Remove() => Directory.Delete(_folder, recursive: true);

    /// <summary>120 rows: label = x0 + x1 > 0 with 10% flipped, four noise slots.</summary>
    private static IDataView Binary(MLContext ml)
    {
        var rng = new Random(3);
        var rows = Enumerable.Range(0, 120).Select(_ =>
        {
            var f = Enumerable.Range(0, 6).Select(_ => (float)(2 * rng.NextDouble() - 1)).ToArray();
            return new Row { Label = (f[0] + f[1] > 0) ^ (rng.NextDouble() < 0.1), Features = f };
        }).ToArray();
        return ml.Data.LoadFromEnumerable(rows);
    }

    /// <summary>Three classes by x0 + x1, as a key label (with its values) as the multiclass trainer reads it.</summary>
    private static IDataView Multiclass(MLContext ml)
    {
        var rng = new Random(5);
        var rows = Enumerable.Range(0, 120).Select(_ =>
        {
            var f = Enumerable.Range(0, 6).Select(_ => (float)(2 * rng.NextDouble() - 1)).ToArray();
            double s = f[0] + f[1];
            return new ClassRow { Label = s < -0.4 ? "low" : s < 0.4 ? "mid" : "high", Features = f };
        }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        return ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
    }

    /// <summary>
    /// A small search: baseline, range test, one scale-up, the regularization rungs and the finalists on a second
    /// repeat (whose first-repeat folds are reused, not trained again) — or, with <paramref name="maxTrials"/> 7, up to
    /// the first rung (4 batches, 21 fold tasks: small enough for the cluster test).
    /// </summary>
    private static DenseNetworkTuningOptions Options(int maxTrials = 7) => new()
    {
        Seed = 7,
        NumberOfFolds = 3,
        NumberOfRepeats = 2,
        MaxTrials = maxTrials,
        MaxTime = Timeout.InfiniteTimeSpan, // no budget: the trials must not depend on timings
        MaxParallelTrials = 2,
        Architectures = new List<int[]> { new[] { 4 }, new[] { 32 } },
        BaseOptions = new DenseNetworkOptions { Epochs = 4, BatchSize = 16 },
    };

    private static DenseNetworkTuningResult Tune(MLContext ml, IDataView data, bool multiclass, Action<DenseNetworkTuningOptions>? fanOut = null, int maxTrials = 7)
    {
        var options = Options(maxTrials);
        fanOut?.Invoke(options);
        return multiclass ? ml.MulticlassClassification.TuneDenseNetwork(data, options) : ml.BinaryClassification.TuneDenseNetwork(data, options);
    }

    /// <summary>Same trials, in the same order, with the same fold metrics and histories to the bit, the same choice and the same refitted model.</summary>
    private static void AssertSameSearch(DenseNetworkTuningResult local, DenseNetworkTuningResult fannedOut, IDataView data, string what)
    {
        Assert.HasCount(local.Trials.Count, fannedOut.Trials, $"{what}: trials\n{local.ToMarkdown()}\n{fannedOut.ToMarkdown()}");
        for (int i = 0; i < local.Trials.Count; i++)
        {
            var (a, b) = (local.Trials[i], fannedOut.Trials[i]);
            string trial = $"{what}: trial {a.Index} ({a.Stage}: {a.Change})";
            Assert.AreEqual((a.Index, a.Stage, a.Change, a.BasedOn, a.Epochs, a.Pruned), (b.Index, b.Stage, b.Change, b.BasedOn, b.Epochs, b.Pruned), trial);
            CollectionAssert.AreEqual(a.Metric.Values.ToArray(), b.Metric.Values.ToArray(), $"{trial}: held-out loss of every fold");
            Assert.HasCount(a.Metrics.Count, b.Metrics, trial);
            for (int m = 0; m < a.Metrics.Count; m++)
            {
                Assert.AreEqual(a.Metrics[m].Name, b.Metrics[m].Name, trial);
                CollectionAssert.AreEqual(a.Metrics[m].Values.ToArray(), b.Metrics[m].Values.ToArray(), $"{trial}: {a.Metrics[m].Name} of every fold");
            }
            Assert.HasCount(a.Histories.Count, b.Histories, trial);
            for (int f = 0; f < a.Histories.Count; f++)
            {
                var (h, g) = (a.Histories[f], b.Histories[f]);
                Assert.AreEqual((h.Count, h.BestEpoch, h.Stop, h.BaselineLoss), (g.Count, g.BestEpoch, g.Stop, g.BaselineLoss), $"{trial}, fold {f}");
                CollectionAssert.AreEqual(h.Losses.ToArray(), g.Losses.ToArray(), $"{trial}, fold {f}: training losses");
                CollectionAssert.AreEqual(h.ValidationLosses.ToArray(), g.ValidationLosses.ToArray(), $"{trial}, fold {f}: validation losses");
                CollectionAssert.AreEqual(h.ValidationAccuracies.ToArray(), g.ValidationAccuracies.ToArray(), $"{trial}, fold {f}: validation accuracies");
            }
            Assert.AreEqual(a.Diagnosis.Verdict, b.Diagnosis.Verdict, trial);
        }
        Assert.AreEqual(local.BestTrial.Index, fannedOut.BestTrial.Index, $"{what}: the chosen trial");
        Assert.AreEqual(local.BestMeanTrial.Index, fannedOut.BestMeanTrial.Index, $"{what}: the best mean");
        CollectionAssert.AreEqual(local.Notes.ToArray(), fannedOut.Notes.ToArray(), $"{what}: the search's story");
        Assert.AreEqual(local.Completed, fannedOut.Completed, what);
        CollectionAssert.AreEqual(Scores(local.BestModel.Transform(data)), Scores(fannedOut.BestModel.Transform(data)), $"{what}: the refitted best model's scores");
    }

    /// <summary>Every score of every row: the binary Score, or each class's.</summary>
    private static float[] Scores(IDataView scored) => scored.Schema["Score"].Type is VectorDataViewType
        ? scored.GetColumn<float[]>("Score").SelectMany(s => s).ToArray()
        : scored.GetColumn<float>("Score").ToArray();

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void JobArrayRunInProcess_GivesTheLocalSearchToTheBit(bool multiclass)
    {
        var ml = new MLContext(1);
        var data = multiclass ? Multiclass(ml) : Binary(ml);
        string folder = Path.Combine(_folder, multiclass ? "in-process-multiclass" : "in-process-binary");
        var jobArray = new InProcessJobArray();
        var log = new List<string>();

        var fannedOut = Tune(ml, data, multiclass, o => SearchFanOut.Use(o, jobArray, folder, log.Add), maxTrials: 30);
        var local = Tune(ml, data, multiclass, maxTrials: 30);

        Assert.IsTrue(local.Completed, local.ToMarkdown());
        CollectionAssert.IsSubsetOf(new[] { TuningStage.Baseline, TuningStage.Regularize, TuningStage.Choose }, local.Trials.Select(t => t.Stage).Distinct().ToArray(),
            "the whole search, finalists included: " + local.ToMarkdown());
        AssertSameSearch(local, fannedOut, data, multiclass ? "multiclass" : "binary");
        int batches = Directory.GetDirectories(folder, "batch-*").Length;
        Assert.AreEqual(batches, jobArray.Batches, "one job array per batch of trials");
        Assert.IsGreaterThanOrEqualTo(5, batches, "the stages and rungs ran as separate batches");
        Assert.AreEqual(local.Trials.Sum(t => t.Histories.Count) - ReusedFolds(local), jobArray.Tasks, "every fold the search trained was an array task, and nothing else");
        Assert.IsTrue(File.Exists(Path.Combine(folder, TuningSearchPlan.DataFileName)));
        StringAssert.Contains(jobArray.Outputs[0], "search task 0 of 3: repeat 1, fold 1, HiddenLayerSizes [4], 4 epochs on ");
        StringAssert.Contains(string.Join("\n", log), "search rows written to");
    }

    /// <summary>Folds a Choose trial took over from its earlier trial instead of training them again.</summary>
    private static int ReusedFolds(DenseNetworkTuningResult result) =>
        result.Trials.Where(t => t.Stage == TuningStage.Choose).Sum(t => result.Trials.First(e => e.Index == t.BasedOn).Histories.Count);

    [TestMethod]
    public void FoldThatFailsInItsWorker_StopsTheSearchWithTheWorkersErrorAndItsLog()
    {
        var ml = new MLContext(1);
        var data = Binary(ml);
        string folder = Path.Combine(_folder, "failing");
        // task 2's options are spoiled after the driver wrote them: its network refuses them, as a bad node would fail
        var jobArray = new InProcessJobArray { Sabotage = batch => File.WriteAllText(batch, SpoilTask(File.ReadAllText(batch), 2)) };

        var error = Assert.ThrowsExactly<InvalidOperationException>(() => Tune(ml, data, multiclass: false, o => SearchFanOut.Use(o, jobArray, folder, _ => { })));

        StringAssert.StartsWith(error.Message, $"A fold of the search failed: task 2 of {Path.Combine(folder, "batch-1")} (repeat 1, fold 3, HiddenLayerSizes [4]) failed on {Environment.MachineName}: ArgumentException: ");
        StringAssert.Contains(error.Message, "BatchSize");
        StringAssert.EndsWith(error.Message, "See its log in-process task 2.");
    }

    /// <summary>The batch plan with task <paramref name="task"/>'s BatchSize set to 0.</summary>
    private static string SpoilTask(string json, int task)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        node["Jobs"]![task]!["Options"]!["BatchSize"] = 0;
        return node.ToJsonString();
    }

    [TestMethod]
    public void Worker_SearchRowsChangedSinceTheDriverWroteThem_RefusesToTrain()
    {
        var ml = new MLContext(1);
        var data = Binary(ml);
        string folder = Path.Combine(_folder, "changed");
        var jobArray = new InProcessJobArray { Sabotage = _ => File.AppendAllText(Path.Combine(folder, TuningSearchPlan.DataFileName), "more") };

        var error = Assert.ThrowsExactly<InvalidOperationException>(() => Tune(ml, data, multiclass: false, o => SearchFanOut.Use(o, jobArray, folder, _ => { })));

        StringAssert.Contains(error.Message, "Task 0 of ");
        StringAssert.Contains(error.Message, "ended without writing its result; see its log in-process task 0.");
        StringAssert.Contains(jobArray.Outputs[0], "changed since the search wrote it");
        Assert.AreEqual(0, jobArray.Tasks);
    }

    /// <summary>MaxTime holds in the fanned-out search: at the trials' deadline the job array is cancelled, and the trials it held are left out with a note.</summary>
    [TestMethod]
    public void DeadlineDuringAJobArray_CancelsIt_AndTheSearchReturnsTheTrialsThatFinished()
    {
        var ml = new MLContext(1);
        var data = Binary(ml);
        var jobArray = new InProcessJobArray { QueueDelay = TimeSpan.FromMinutes(5) }; // after the baseline, the "cluster" is full
        var options = Options();
        options.MaxTime = TimeSpan.FromSeconds(15);
        SearchFanOut.Use(options, jobArray, Path.Combine(_folder, "deadline"), _ => { });

        var result = ml.BinaryClassification.TuneDenseNetwork(data, options);

        Assert.IsTrue(jobArray.Cancelled, "the deadline cancelled the waiting job array");
        Assert.IsFalse(result.Completed);
        Assert.HasCount(1, result.Trials, result.ToMarkdown());
        Assert.AreEqual(TuningStage.Baseline, result.Trials[0].Stage);
        Assert.IsTrue(result.Notes.Any(n => n.StartsWith("MaxTime (00:00:15) ran out after ", StringComparison.Ordinal) && n.Contains("did not finish and was left out", StringComparison.Ordinal)),
            string.Join("\n", result.Notes));
    }

    [TestMethod]
    public void TaskThatWritesNoResult_IsAnErrorNamingItsLog()
    {
        var ml = new MLContext(1);
        var data = Binary(ml);
        string folder = Path.Combine(_folder, "silent");
        var jobArray = new InProcessJobArray { SkipTask = 1 };

        var error = Assert.ThrowsExactly<InvalidOperationException>(() => Tune(ml, data, multiclass: false, o => SearchFanOut.Use(o, jobArray, folder, _ => { })));

        StringAssert.Contains(error.Message, "Task 1 of ");
        StringAssert.Contains(error.Message, "ended without writing its result; see its log in-process task 1");
    }

    [TestMethod]
    public void OptionsThatCannotTravel_AreRefusedBeforeAnythingTrains()
    {
        var ml = new MLContext(1);
        var data = Binary(ml);
        var jobArray = new InProcessJobArray();
        var options = Options();
        options.BaseOptions!.ClassWeights = ClassWeights.FromDictionary(new Dictionary<bool, double> { [true] = 2 });
        SearchFanOut.Use(options, jobArray, Path.Combine(_folder, "weights"), _ => { });

        var error = Assert.ThrowsExactly<ArgumentException>(() => ml.BinaryClassification.TuneDenseNetwork(data, options));

        StringAssert.StartsWith(error.Message, "These DenseNetworkOptions cannot be sent to a worker process: ClassWeights are given per label value (only ClassWeights.Balanced travels).");
        Assert.AreEqual(0, jobArray.Tasks);
    }

    [TestMethod]
    [DataRow("--sbatch-arg=--partition=cpu", null, "--sbatch-arg and --worker-command apply to --slurm only.")]
    [DataRow("--slurm", "with space", "contains whitespace, which a Slurm job script's #SBATCH --output line cannot hold")]
    [DataRow("--folds", "1", "--folds must be at least 2; received 1.")]
    public void Train_BadFanOutOptions_ExitWithUserErrorBeforeReadingTheData(string option, string? value, string message)
    {
        var args = new List<string> { "train", "--data", Path.Combine(_folder, "no-such.csv"), "--label", "y", "--out", Path.Combine(_folder, value == "with space" ? "with space" : "out"), option };
        if (value is not null && value != "with space")
            args.Add(value);

        var (code, output) = Cli.Run(args.ToArray());

        Assert.AreEqual(CliApp.UserError, code, output);
        StringAssert.Contains(output.Replace("\n", "", StringComparison.Ordinal), message);
    }

    /// <summary>
    /// The issue's acceptance test for tuning: build/slurm.sh starts a single-node Slurm cluster (installing it when
    /// missing), the search's batches run as job arrays of `mlnetdeep worker` processes, and the trials, every fold's
    /// metrics and history, the chosen trial and the refitted model equal the local search's. Skipped (inconclusive,
    /// with the script's reason) only where Slurm cannot be installed.
    /// </summary>
    [TestMethod]
    [Timeout(600_000, CooperativeCancellation = true)]
    public void TuneDenseNetwork_AsSlurmJobArrays_EqualsTheLocalSearchToTheBit()
    {
        using var cluster = SlurmCluster.Start();
        var ml = new MLContext(1);
        var data = Binary(ml);
        string folder = Path.Combine(_folder, "slurm");
        var log = new List<string>();
        var slurm = new SlurmJobArray(FanOutTests.ToolCommand(), Array.Empty<string>(), log.Add);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var fannedOut = Tune(ml, data, multiclass: false, o => SearchFanOut.Use(o, slurm, folder, log.Add));
        var slurmTime = clock.Elapsed;
        clock.Restart();
        var local = Tune(ml, data, multiclass: false);
        // printed for the README's figures, never asserted
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{local.Trials.Count} trials: Slurm job arrays {slurmTime.TotalSeconds:F1} s, local (2 threads) {clock.Elapsed.TotalSeconds:F1} s\n{string.Join("\n", log)}"));

        AssertSameSearch(local, fannedOut, data, $"Slurm job arrays vs the local search ({string.Join("; ", log)})");
        var batches = Directory.GetDirectories(folder, "batch-*");
        Assert.AreEqual(batches.Length, log.Count(l => l.StartsWith("submitted job array", StringComparison.Ordinal)), "one job array per batch");
        foreach (var batch in batches)
        {
            int tasks = TuningBatchPlan.Read(Path.Combine(batch, TuningBatchPlan.FileName)).Jobs.Count;
            for (int task = 0; task < tasks; task++)
                StringAssert.Contains(File.ReadAllText(Path.Combine(batch, "logs", string.Create(CultureInfo.InvariantCulture, $"task-{task}.log"))),
                    $"search task {task} of {tasks}", "each array task ran its own fold in its own process");
        }
    }

    /// <summary>Runs a batch's tasks one after the other in this process through the worker's command line, as array tasks would.</summary>
    private sealed class InProcessJobArray : IJobArray
    {
        public int Batches { get; private set; }

        /// <summary>Tasks whose worker exited 0.</summary>
        public int Tasks { get; private set; }

        /// <summary>Every worker's console output, in order.</summary>
        public List<string> Outputs { get; } = new();

        /// <summary>A task whose worker "dies" before writing its result.</summary>
        public int? SkipTask { get; init; }

        /// <summary>Runs before the first batch's tasks.</summary>
        public Action<string>? Sabotage { get; init; }

        /// <summary>How long each task of the second and later batches waits in the "queue" before it runs.</summary>
        public TimeSpan QueueDelay { get; init; }

        /// <summary>True once the search cancelled a batch (its deadline, or its token).</summary>
        public bool Cancelled { get; private set; }

        public void Run(string batchPath, int taskCount, int maxParallel, int cpusPerTask, Func<bool> poll, CancellationToken token)
        {
            if (Batches++ == 0)
                Sabotage?.Invoke(batchPath);
            var batch = TuningBatchPlan.Read(batchPath);
            Assert.HasCount(taskCount, batch.Jobs);
            for (int task = 0; task < taskCount && !token.IsCancellationRequested; task++)
            {
                if (task == SkipTask)
                    continue;
                if (Batches > 1 && QueueDelay > TimeSpan.Zero && token.WaitHandle.WaitOne(QueueDelay))
                    break;
                var (code, output) = Cli.Run("worker", "--plan", batchPath, "--task", task.ToString(CultureInfo.InvariantCulture));
                Outputs.Add(output);
                if (code == 0)
                    Tasks++;
                if (!poll())
                    return;
            }
            Cancelled |= token.IsCancellationRequested;
        }

        public string LogOf(string batchPath, int task) => string.Create(CultureInfo.InvariantCulture, $"in-process task {task}");
    }
}
