using Microsoft.ML;

namespace MlNetDeep.Evaluation.Tests;

/// <summary>MaxTrials, MaxTime and cancellation on a small search (few rows, few epochs).</summary>
[TestClass]
public sealed class TuneDenseNetworkBudgetTests
{
    private readonly MLContext _ml = new(seed: 1);

    private static DenseNetworkTuningOptions Small() => new()
    {
        Seed = 3,
        NumberOfFolds = 2,
        NumberOfRepeats = 1,
        MaxParallelTrials = 2,
        Architectures = new List<int[]> { new[] { 4 }, new[] { 64 } },
        BaseOptions = new DenseNetworkOptions { Epochs = 4, BatchSize = 32 },
    };

    private IDataView Data() => TuningData.Load(_ml, TuningData.Binary(120, seed: 5));

    [TestMethod]
    public void MaxTrials_StopsAtThatMany_AndSaysSo()
    {
        var options = Small();
        options.MaxTrials = 2;

        var result = _ml.BinaryClassification.TuneDenseNetwork(Data(), options);

        Assert.HasCount(2, result.Trials);
        Assert.IsFalse(result.Completed);
        Assert.IsTrue(result.Notes.Any(n => n.StartsWith("MaxTrials (2) reached: the search stopped before", StringComparison.Ordinal)), string.Join("\n", result.Notes));
        Assert.IsNotNull(result.BestModel, "the best of the finished trials is still refitted");
        StringAssert.Contains(result.ToMarkdown(), "**The search stopped early**");
    }

    [TestMethod]
    public void ABudgetEndingTheSearchBeforeTheChooseStage_ChoosesTheBestMean()
    {
        // with two shuffles planned, the Choose stage would re-evaluate the finalists on the second one before the
        // one-standard-error rule picks; a search cut during Regularize never gets there, so the rule's pick on the first
        // shuffle alone is unconfirmed and the lowest mean is chosen
        var options = Small();
        options.NumberOfRepeats = 2;
        options.MaxTrials = 5;

        var result = _ml.BinaryClassification.TuneDenseNetwork(Data(), options);

        Assert.HasCount(5, result.Trials);
        Assert.IsFalse(result.Completed);
        Assert.IsFalse(result.Trials.Any(t => t.Stage == TuningStage.Choose), result.ToMarkdown());
        var lowest = result.Trials.OrderBy(t => t.Metric.Mean).ThenBy(t => t.Index).First();
        Assert.AreSame(lowest, result.BestTrial, result.ToMarkdown());
        Assert.AreSame(lowest, result.BestMeanTrial);
        string md = result.ToMarkdown();
        if (md.Contains("Chosen by the best mean", StringComparison.Ordinal))
            StringAssert.Contains(md, $"unconfirmed, so trial {lowest.Index}, the best mean, is chosen instead of trial ");
        else
            StringAssert.Contains(md, $"Chosen by the one-standard-error rule (the simplest trial within one standard error of the best mean): trial {lowest.Index} has the best mean");
    }

    [TestMethod]
    public void MaxTime_RunningOutAfterTheFirstTrial_ReturnsTheTrialsDoneWithANote()
    {
        var clock = new FakeClock();
        var options = Small();
        options.MaxTime = TimeSpan.FromMinutes(10);
        options.TimeProvider = clock;
        options.Progress = new OnReport(_ => clock.Advance(TimeSpan.FromMinutes(11))); // the first trial "took" 11 minutes

        var result = _ml.BinaryClassification.TuneDenseNetwork(Data(), options);

        Assert.HasCount(1, result.Trials);
        Assert.AreEqual(TuningStage.Baseline, result.Trials[0].Stage);
        Assert.IsFalse(result.Completed);
        Assert.IsNull(result.LearningRateFinder, "nothing starts once the time is up");
        var note = result.Notes[^1];
        StringAssert.StartsWith(note, "MaxTime (00:10:00) ran out after 66");
        StringAssert.EndsWith(note, "s, before the learning-rate range test; the search returns the 1 trial(s) that finished.");
        Assert.AreSame(result.Trials[0], result.BestTrial);
        Assert.IsNotNull(result.BestModel);
    }

    [TestMethod]
    public void MaxTime_TooShortForTheNextModelOfTheLadder_EndsTheClimb_AndStillRegularizes()
    {
        // on a clock where every reading is one second after the last (one worker, so the readings come in a fixed
        // order), each fold measures one second; a 2048-2048-2048 network is thousands of times the work of the small
        // ones, so its estimate cannot fit the hour: the climb ends before it instead of the search stopping there
        var options = Small();
        options.MaxParallelTrials = 1;
        options.TimeProvider = new SteppingClock();
        options.MaxTime = TimeSpan.FromHours(1);
        options.Architectures = new List<int[]> { new[] { 4 }, new[] { 8 }, new[] { 2048, 2048, 2048 } };

        var result = _ml.BinaryClassification.TuneDenseNetwork(Data(), options);

        Assert.IsFalse(result.Trials.Any(t => t.Options.HiddenLayerSizes!.Length == 3), result.ToMarkdown());
        CollectionAssert.Contains(result.Notes.ToArray(), "Scale up: the time or trials left cannot fit [2048, 2048, 2048], so the climb ends there.", result.ToMarkdown());
        Assert.IsTrue(result.Trials.Any(t => t.Stage == TuningStage.ScaleUp && t.Options.HiddenLayerSizes![0] == 8), result.ToMarkdown());
        Assert.IsTrue(result.Trials.Any(t => t.Stage == TuningStage.Regularize), "the search goes on to regularize: " + result.ToMarkdown());
        Assert.IsTrue(result.Completed, string.Join("\n", result.Notes));
    }

    [TestMethod]
    public void MaxTime_TooShortForAnyTrial_ThrowsTimeoutException()
    {
        var options = Small();
        options.MaxTime = TimeSpan.FromMilliseconds(1);

        var error = Assert.ThrowsExactly<TimeoutException>(() => _ml.BinaryClassification.TuneDenseNetwork(Data(), options));

        StringAssert.StartsWith(error.Message, "MaxTime (00:00:00.0010000) ran out after ");
        StringAssert.EndsWith(error.Message, "s, before the first trial (2 folds of HiddenLayerSizes [4], 4 epochs) finished: no trial to choose from. Allow more time, or use fewer folds, epochs or rows.");
    }

    [TestMethod]
    public void MaxTime_EndingDuringTheFirstTrial_CancelsItInFlight()
    {
        var options = Small();
        options.BaseOptions!.Epochs = 1_000_000; // hours of training unless the deadline cancels it
        options.MaxTime = TimeSpan.FromMilliseconds(300);

        var error = Assert.ThrowsExactly<TimeoutException>(() => _ml.BinaryClassification.TuneDenseNetwork(Data(), options));

        StringAssert.Contains(error.Message, "before the first trial (2 folds of HiddenLayerSizes [4], 1000000 epochs) finished");
    }

    [TestMethod]
    public void MaxTime_InfiniteOrBeyondATimersReach_IsNoLimit()
    {
        foreach (var limit in new[] { Timeout.InfiniteTimeSpan, TimeSpan.MaxValue })
        {
            var options = Small();
            options.MaxTrials = 2;
            options.MaxTime = limit;

            var result = _ml.BinaryClassification.TuneDenseNetwork(Data(), options);

            Assert.HasCount(2, result.Trials, limit.ToString());
        }
    }

    [TestMethod]
    public void CancellationToken_CancelsTheSearch()
    {
        using var cancel = new CancellationTokenSource();
        var options = Small();
        options.CancellationToken = cancel.Token;
        options.Progress = new OnReport(_ => cancel.Cancel());

        Assert.ThrowsExactly<OperationCanceledException>(() => _ml.BinaryClassification.TuneDenseNetwork(Data(), options));
    }

    /// <summary>The system clock plus an offset the test moves forward.</summary>
    private sealed class FakeClock : TimeProvider
    {
        private long _offset;

        public void Advance(TimeSpan by) => Interlocked.Add(ref _offset, (long)(by.TotalSeconds * TimestampFrequency));

        public override long GetTimestamp() => base.GetTimestamp() + Interlocked.Read(ref _offset);
    }

    /// <summary>A clock that reads one second later at every reading, whatever the real time.</summary>
    private sealed class SteppingClock : TimeProvider
    {
        private long _now;

        public override long TimestampFrequency => 1000;

        public override long GetTimestamp() => Interlocked.Add(ref _now, 1000);
    }

    private sealed class OnReport(Action<DenseNetworkTrial> action) : IProgress<DenseNetworkTrial>
    {
        public void Report(DenseNetworkTrial value) => action(value);
    }
}
