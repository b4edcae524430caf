using System.Globalization;

namespace MlNetDeep;

/// <summary>
/// The learning-rate range test's record (Smith 2017; fastai's <c>lr_find</c>): the rate of each mini-batch, rising
/// exponentially, with the training loss it gave, and the rate to train with. Made by the DenseNetwork trainers'
/// <c>FindLearningRate</c>; draw it with <c>LearningCurvePlot.ForLearningRateFinder</c> (MlNetDeep.Evaluation).
/// </summary>
public sealed class LearningRateFinderResult
{
    internal LearningRateFinderResult(double[] learningRates, double[] losses, double[] rawLosses, double suggested, int minimumIndex, string stopReason)
    {
        LearningRates = learningRates;
        Losses = losses;
        RawLosses = rawLosses;
        SuggestedLearningRate = suggested;
        MinimumLossLearningRate = learningRates[minimumIndex];
        StopReason = stopReason;
    }

    /// <summary>The rate of each mini-batch step, in order (exponentially spaced).</summary>
    public IReadOnlyList<double> LearningRates { get; }

    /// <summary>
    /// The smoothed training loss at each step (an exponential moving average, bias-corrected as in Adam and fastai):
    /// the curve to read. NaN where a step's loss was not finite.
    /// </summary>
    public IReadOnlyList<double> Losses { get; }

    /// <summary>Each mini-batch's own training loss (data loss + penalty, the loss that was minimized), before smoothing.</summary>
    public IReadOnlyList<double> RawLosses { get; }

    /// <summary>
    /// The rate to train with: where the smoothed loss falls fastest per decade of rate, before its minimum (fastai's
    /// "steepest" rule; a tenth of <see cref="MinimumLossLearningRate"/>, the other classic rule, when the minimum
    /// comes in the first steps). The minimum itself is on the edge of divergence.
    /// </summary>
    public double SuggestedLearningRate { get; }

    /// <summary>The rate where the smoothed loss was lowest.</summary>
    public double MinimumLossLearningRate { get; }

    /// <summary>Why the test ended: the smoothed loss exceeded the divergence factor × its best, a loss became non-finite, or the range ended.</summary>
    public string StopReason { get; }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"suggested learning rate {SuggestedLearningRate:G3} (lowest smoothed loss {Losses.Where(double.IsFinite).Min():G4} at {MinimumLossLearningRate:G3}); {LearningRates.Count} steps from {LearningRates[0]:G3} to {LearningRates[^1]:G3}; {StopReason}");
}
