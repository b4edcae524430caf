namespace MlNetDeep.Samples.ModelBuilder;

/// <summary>Model Builder-style output of the spam classifier.</summary>
public sealed class SpamModelOutput
{
    /// <summary>True when the mail is predicted to be spam.</summary>
    public bool PredictedLabel { get; set; }

    /// <summary>The network's logit.</summary>
    public float Score { get; set; }

    /// <summary>Probability of spam.</summary>
    public float Probability { get; set; }
}
