using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Training;

namespace MlNetDeep.Network;

/// <summary>
/// The output of a fitted dense network's scoring chain, read in blocks: a sequential cursor that needs a scoring
/// column reads ahead up to <see cref="BlockCursor.MaxRows"/> rows of the chain's output (the scoring columns left
/// inactive, so the chain never runs its per-row heads), scores their features as one block
/// (<see cref="SharedBlockForward"/>: both cores on a machine that has them), and serves every other active column from the values it buffered
/// for those rows. The scoring columns hold the bits the chain's heads give (the same forward pass, then the same
/// head arithmetic): binary Score/Probability/PredictedLabel, regression Score, multiclass Score (softmax) and
/// PredictedLabel (class index + 1, the key the chain maps to). Shuffled cursors, and cursors needing no scoring
/// column, are the chain's own. A saved and loaded model is the chain itself and scores row by row, with the same
/// bits.
/// </summary>
internal sealed class BlockScoringView : IDataView
{
    private readonly IDataView _scored;

    private BlockScoringView(IDataView scored, ScoringNetwork network, int featureColumn, int[] headColumns, bool shareBlocks)
    {
        _scored = scored;
        Network = network;
        FeatureColumn = featureColumn;
        HeadColumns = headColumns;
        ShareBlocks = shareBlocks;
    }

    public ScoringNetwork Network { get; }

    /// <summary>Whether a cursor shares each block's forward pass with a helper thread (<see cref="SharedBlockForward"/>).</summary>
    public bool ShareBlocks { get; }

    /// <summary>The index of the feature column in the chain's output schema.</summary>
    public int FeatureColumn { get; }

    /// <summary>The indices of the scoring columns in the chain's output schema (per task, in the order the cursor computes them).</summary>
    public int[] HeadColumns { get; }

    public bool CanShuffle => _scored.CanShuffle;

    public DataViewSchema Schema => _scored.Schema;

    /// <summary>Wraps the chain's output <paramref name="scored"/>; returns it unchanged when its schema lacks a column the heads write.</summary>
    /// <param name="scored">The scoring chain's output.</param>
    /// <param name="network">The network the chain stores, packed for block scoring.</param>
    /// <param name="featureColumn">The feature column's name.</param>
    /// <param name="shareBlocks">Whether cursors share each block with a helper thread; null: when the machine has more than one core.</param>
    public static IDataView Create(IDataView scored, ScoringNetwork network, string featureColumn, bool? shareBlocks = null)
    {
        var names = network.Task switch
        {
            NetworkTask.Binary => new[] { "Score", "Probability", "PredictedLabel" },
            NetworkTask.Regression => new[] { "Score" },
            _ => new[] { "Score", "PredictedLabel" },
        };
        var features = scored.Schema.GetColumnOrNull(featureColumn);
        var heads = names.Select(n => scored.Schema.GetColumnOrNull(n)).ToArray();
        if (features is null || heads.Any(h => h is null))
            return scored;
        return new BlockScoringView(scored, network, features.Value.Index, heads.Select(h => h!.Value.Index).ToArray(), shareBlocks ?? SharedBlockForward.SharedByDefault);
    }

    public long? GetRowCount() => _scored.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToArray();
        if (rand is not null || !needed.Any(c => HeadColumns.Contains(c.Index)))
            return _scored.GetRowCursor(needed, rand);
        return new BlockCursor(this, _scored, needed);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        var needed = columnsNeeded.ToArray();
        if (rand is not null || !needed.Any(c => HeadColumns.Contains(c.Index)))
            return _scored.GetRowCursorSet(needed, n, rand);
        return new[] { GetRowCursor(needed, rand) };
    }
}
