using Microsoft.ML;

namespace MlNetDeep;

/// <summary>One fold of a (repeated) K-fold split: the rows to train on and the rows to validate on.</summary>
public sealed class FoldSplit
{
    internal FoldSplit(IDataView source, int[] plan, int repeat, int fold)
    {
        Repeat = repeat;
        Fold = fold;
        TrainSet = RowSubsetDataView.Select(source, plan, fold, equal: false);
        ValidationSet = RowSubsetDataView.Select(source, plan, fold, equal: true);
        ValidationRowIndices = Enumerable.Range(0, plan.Length).Where(i => plan[i] == fold).ToArray();
    }

    /// <summary>The repeat (shuffle) this fold belongs to, starting at 0.</summary>
    public int Repeat { get; }

    /// <summary>The fold number within its repeat, starting at 0.</summary>
    public int Fold { get; }

    /// <summary>The rows of the other K − 1 folds.</summary>
    public IDataView TrainSet { get; }

    /// <summary>This fold's rows.</summary>
    public IDataView ValidationSet { get; }

    /// <summary>Positions (0-based, ascending) of the source rows in <see cref="ValidationSet"/>.</summary>
    public IReadOnlyList<int> ValidationRowIndices { get; }
}
