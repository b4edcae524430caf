using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Samples.Experiments.Lab;

/// <summary>
/// Whether a checkpoint zip holds a given epoch's network: the epoch its recorded history ends at, and how many test
/// probabilities it gives that are bit-identical to a model known to hold that epoch's weights.
/// </summary>
/// <param name="CheckpointEpoch">The last epoch of the history stored in the checkpoint (the epoch it was written after); 0 when it has none.</param>
/// <param name="Rows">Test rows compared.</param>
/// <param name="Equal">Rows whose probabilities are bit-identical.</param>
/// <param name="MaxDifference">The largest absolute difference between the two probabilities.</param>
internal sealed record CheckpointProof(int CheckpointEpoch, int Rows, int Equal, double MaxDifference)
{
    /// <summary>Scores <paramref name="test"/> with the loaded checkpoint and with <paramref name="reference"/> and compares the probabilities.</summary>
    public static CheckpointProof Compare(IDataView test, ITransformer checkpoint, ITransformer reference)
    {
        var fromCheckpoint = Probabilities(test, checkpoint);
        var fromReference = Probabilities(test, reference);
        var pairs = fromCheckpoint.Zip(fromReference).ToArray();
        int epoch = DenseNetworkModel.FromTransformer(checkpoint).History is { Count: > 0 } h ? h[^1].Epoch : 0;
        return new CheckpointProof(epoch, pairs.Length, pairs.Count(p => p.First == p.Second),
            pairs.Select(p => Math.Abs((double)p.First - p.Second)).DefaultIfEmpty(double.NaN).Max());
    }

    /// <summary>True when the checkpoint was written after the history's best epoch and scores every row exactly as the reference.</summary>
    public bool IsBestEpoch(TrainingHistory history) => history.BestEpoch == CheckpointEpoch && Rows > 0 && Equal == Rows;

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"checkpoint after epoch {CheckpointEpoch}; {Equal}/{Rows} test probabilities bit-identical, largest difference {MaxDifference:G3}");

    private static float[] Probabilities(IDataView data, ITransformer model) => model.Transform(data).GetColumn<float>("Probability").ToArray();
}
