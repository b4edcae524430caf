using MlNetDeep;

namespace Samples.Dynamic.TrainingHistoryDiagnosis;

public static class Diagnose
{
    // This example reads a training history the way the lecture does: does the model fit, does it generalise,
    // and from which epoch does it overfit. A fitted network's history is DenseNetworkTransformer.History; here
    // the losses are written out so the verdict is easy to follow.
    public static void Example()
    {
        // Training loss keeps falling; validation loss is lowest at epoch 4, then rises: overfitting.
        double[] loss = { 0.90, 0.60, 0.45, 0.35, 0.28, 0.22, 0.17, 0.13 };
        double[] validationLoss = { 0.92, 0.66, 0.52, 0.48, 0.50, 0.55, 0.61, 0.68 };
        var history = new MlNetDeep.TrainingHistory(loss.Select((l, i) => new EpochMetrics
        {
            Epoch = i + 1,
            Loss = l,
            ValidationLoss = validationLoss[i],
        }));

        FitDiagnosis diagnosis = history.Diagnose();

        Console.WriteLine($"Verdict: {diagnosis.Verdict}");
        Console.WriteLine($"Overfitting from epoch: {diagnosis.OverfittingEpoch}");
        foreach (var evidence in diagnosis.Evidence)
            Console.WriteLine($"Evidence: {evidence}");
        foreach (var advice in diagnosis.Advice)
            Console.WriteLine($"Advice: {advice}");

        // Expected output:
        //   Verdict: Overfitting
        //   Overfitting from epoch: 4
        //   Evidence: No baseline was recorded, so whether validation beats a constant prediction was not checked.
        //   Evidence: The validation loss bottomed at 0.48 in epoch 4 (smoothed over 1 epoch(s)) and ended 41.7% higher, at 0.68 (level of the last 1), while the training loss fell from 0.35 to 0.13.
        //   Advice: EarlyStopping: Patience 2–3 with RestoreBestWeights = true (or Epochs = 4)
        //   Advice: DropoutRate: 0.2–0.5, and L2Regularization: 1e-4–1e-3
        //   Advice: HiddenLayerSizes: fewer or narrower layers, or more training data
    }
}
