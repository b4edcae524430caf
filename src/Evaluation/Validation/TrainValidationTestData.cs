using Microsoft.ML;

namespace MlNetDeep;

/// <summary>A hold-out split: training, validation and test rows of one data view (lazy views over the source).</summary>
public sealed class TrainValidationTestData
{
    internal TrainValidationTestData(IDataView source, int[] assignment)
    {
        TrainSet = RowSubsetDataView.Select(source, assignment, 0, equal: true);
        ValidationSet = RowSubsetDataView.Select(source, assignment, 1, equal: true);
        TestSet = RowSubsetDataView.Select(source, assignment, 2, equal: true);
        TrainRowIndices = Indices(assignment, 0);
        ValidationRowIndices = Indices(assignment, 1);
        TestRowIndices = Indices(assignment, 2);
    }

    /// <summary>The rows to fit on.</summary>
    public IDataView TrainSet { get; }

    /// <summary>The rows to tune on (early stopping, hyperparameters); empty when the validation fraction is 0.</summary>
    public IDataView ValidationSet { get; }

    /// <summary>The rows to evaluate on once, at the end; empty when the test fraction is 0.</summary>
    public IDataView TestSet { get; }

    /// <summary>Positions (0-based, ascending) of the source rows in <see cref="TrainSet"/>.</summary>
    public IReadOnlyList<int> TrainRowIndices { get; }

    /// <summary>Positions (0-based, ascending) of the source rows in <see cref="ValidationSet"/>.</summary>
    public IReadOnlyList<int> ValidationRowIndices { get; }

    /// <summary>Positions (0-based, ascending) of the source rows in <see cref="TestSet"/>.</summary>
    public IReadOnlyList<int> TestRowIndices { get; }

    private static int[] Indices(int[] assignment, int value)
        => Enumerable.Range(0, assignment.Length).Where(i => assignment[i] == value).ToArray();
}
