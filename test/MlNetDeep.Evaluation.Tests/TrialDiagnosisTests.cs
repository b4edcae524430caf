namespace MlNetDeep.Evaluation.Tests;

/// <summary>The cross-validated learning curve a trial's verdict is read from, on scripted fold histories.</summary>
[TestClass]
public sealed class TrialDiagnosisTests
{
    private static TrainingHistory Fold(double baseline, params double[] validation)
        => new(validation.Select((v, i) => new EpochMetrics { Epoch = i + 1, Loss = 1.0 / (i + 2), ValidationLoss = v }))
        {
            BaselineLoss = baseline,
        };

    [TestMethod]
    public void MeanHistory_AveragesEachEpochOverTheFoldsThatReachedIt_UpToWhatMostFoldsCompleted()
    {
        var folds = new[] { Fold(0.6, 0.5, 0.4, 0.3), Fold(0.7, 0.7, 0.6, 0.5, 0.45, 0.44), Fold(0.8, 0.6, 0.5, 0.4, 0.35) };

        var mean = TrialDiagnosis.MeanHistory(folds);

        Assert.HasCount(4, mean, "two of three folds reached epoch 4, one reached epoch 5");
        Assert.AreEqual(0.6, mean[0].ValidationLoss!.Value, 1e-12);
        Assert.AreEqual((0.45 + 0.35) / 2, mean[3].ValidationLoss!.Value, 1e-12, "epoch 4: the two folds that reached it");
        Assert.AreEqual(0.7, mean.BaselineLoss!.Value, 1e-12);
        Assert.AreEqual(4, mean.BestEpoch);
        Assert.AreEqual(StopKind.Completed, mean.Stop);
    }

    [TestMethod]
    public void Read_SeesARiseTheFoldsShare_ThatNoisyFoldsAloneDoNotCall()
    {
        // each fold: a U-turn from 0.5 (epoch 6) to 0.75 (epoch 20) under ±0.15 of fold-specific noise
        var rng = new Random(3);
        var folds = Enumerable.Range(0, 5).Select(_ => new TrainingHistory(Enumerable.Range(1, 20).Select(e => new EpochMetrics
        {
            Epoch = e,
            Loss = 1.0 / e,
            ValidationLoss = (e <= 6 ? 0.8 - 0.05 * e : 0.5 + 0.25 * (e - 6) / 14) + 0.15 * (2 * rng.NextDouble() - 1),
        }))
        { BaselineLoss = 1.0 }).ToArray();
        var alone = folds.Select(f => f.Diagnose()).ToArray();

        var diagnosis = TrialDiagnosis.Read(TrialDiagnosis.MeanHistory(folds), alone);

        Assert.AreEqual(FitVerdict.Overfitting, diagnosis.Verdict, string.Join("\n", diagnosis.Evidence));
        Assert.IsLessThan(3, alone.Count(d => d.Verdict == FitVerdict.Overfitting), "most folds alone miss it: " + string.Join(", ", alone.Select(d => d.Verdict)));
        StringAssert.StartsWith(diagnosis.Evidence[0], $"Read from the mean of the 5 folds' curves; {alone.Count(d => d.Verdict == FitVerdict.Overfitting)} of 5 folds alone read Overfitting (");
    }
}
