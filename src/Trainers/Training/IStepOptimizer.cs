namespace MlNetDeep.Training;

/// <summary>An optimizer that updates the parameters in place from their gradients, one <see cref="Step"/> per mini-batch.</summary>
internal interface IStepOptimizer : IDisposable
{
    /// <summary>The rate of the next steps.</summary>
    double LearningRate { get; }

    /// <summary>Changes the rate from the next step on.</summary>
    void SetLearningRate(double learningRate);

    /// <summary>Updates every parameter that has a gradient.</summary>
    void Step();
}
