namespace MlNetDeep.Samples.Experiments;

/// <summary>Which corpora an experiment reads (so the program loads and checks only those before running it).</summary>
[Flags]
public enum ExperimentData
{
    /// <summary>No data.</summary>
    None = 0,

    /// <summary>The image corpus (Fashion-MNIST or MNIST): <see cref="MlNetDeep.Samples.Data.DataSource.Images"/>.</summary>
    Images = 1,

    /// <summary>The text corpus (SpamAssassin or IMDB): <see cref="MlNetDeep.Samples.Data.DataSource.Text"/>.</summary>
    Text = 2,
}
