namespace MlNetDeep;

/// <summary>How a training run ended (<see cref="TrainingHistory.Stop"/>).</summary>
public enum StopKind
{
    /// <summary>Every configured epoch ran.</summary>
    Completed,

    /// <summary>Early stopping ended the run before the configured number of epochs.</summary>
    EarlyStopped,

    /// <summary>The loss became NaN or infinite or exploded, or the weights scored non-finite values.</summary>
    Diverged,

    /// <summary>The run was cancelled through a cancellation token.</summary>
    Cancelled,

    /// <summary>A callback called <c>EpochEndContext.StopTraining()</c>.</summary>
    Callback,
}
