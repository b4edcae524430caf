namespace MlNetDeep;

/// <summary>Whether Fit holds the training rows in memory or reads them from the data view's cursor on every pass (<see cref="DenseNetworkOptions.Streaming"/>).</summary>
public enum StreamingMode
{
    /// <summary>Streams only when the rows would not fit in memory (the rule is in <see cref="DenseNetworkOptions.Streaming"/>).</summary>
    Auto,

    /// <summary>Always streams: every epoch reads the view anew, through a bounded shuffle buffer.</summary>
    On,

    /// <summary>Never streams: every row is read into memory once (Fit fails when they do not fit).</summary>
    Off,
}
