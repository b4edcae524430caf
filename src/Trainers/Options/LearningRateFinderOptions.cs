using MlNetDeep.Common;

namespace MlNetDeep;

/// <summary>
/// The range and pace of the learning-rate range test (<c>FindLearningRate</c>): the rate grows exponentially from
/// <see cref="MinLearningRate"/> to <see cref="MaxLearningRate"/> over <see cref="Steps"/> mini-batches and the test stops
/// early once the smoothed loss exceeds <see cref="DivergenceFactor"/> × its best. The network, optimizer, batch size,
/// regularization, class weights and seed are the trainer's own <see cref="DenseNetworkOptions"/>.
/// </summary>
public sealed class LearningRateFinderOptions
{
    /// <summary>The first step's rate.</summary>
    /// <value>The default value is 1e-7 (fastai's <c>start_lr</c>).</value>
    public double MinLearningRate { get; set; } = 1e-7;

    /// <summary>The last step's rate.</summary>
    /// <value>The default value is 10 (fastai's <c>end_lr</c>).</value>
    public double MaxLearningRate { get; set; } = 10;

    /// <summary>Mini-batch steps from the first rate to the last; the rows are cycled (reshuffled each pass) when there are fewer batches.</summary>
    /// <value>The default value is 100 (fastai's <c>num_it</c>).</value>
    public int Steps { get; set; } = 100;

    /// <summary>The weight of the past in the loss's exponential moving average.</summary>
    /// <value>The default value is 0.98 (fastai's).</value>
    public double Smoothing { get; set; } = 0.98;

    /// <summary>Stop when the smoothed loss exceeds this many times its best so far.</summary>
    /// <value>The default value is 4 (fastai's).</value>
    public double DivergenceFactor { get; set; } = 4;

    internal void Validate()
    {
        var errors = new OptionErrors();
        errors.Check(MinLearningRate > 0 && double.IsFinite(MinLearningRate), nameof(MinLearningRate), "a finite number > 0", MinLearningRate);
        errors.Check(MaxLearningRate > MinLearningRate && double.IsFinite(MaxLearningRate), nameof(MaxLearningRate), "a finite number > MinLearningRate", MaxLearningRate);
        errors.Check(Steps >= 2, nameof(Steps), "an integer >= 2", Steps);
        errors.Check(Smoothing is >= 0 and < 1, nameof(Smoothing), "a number in [0, 1)", Smoothing);
        errors.Check(DivergenceFactor > 1 && double.IsFinite(DivergenceFactor), nameof(DivergenceFactor), "a finite number > 1", DivergenceFactor);
        errors.ThrowIfAny(nameof(LearningRateFinderOptions), "options");
    }
}
