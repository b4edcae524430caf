namespace MlNetDeep;

/// <summary>How rows are balanced across folds.</summary>
internal enum Stratification
{
    /// <summary>Shuffle, then deal rows round-robin: fold sizes differ by at most one row.</summary>
    None,

    /// <summary>Shuffle within each class, then deal the classes one after another: each class's count per fold is the floor or ceiling of its share.</summary>
    ByClass,

    /// <summary>Sort by the (numeric) label and give each block of K consecutive rows to K different folds in random order.</summary>
    ByValueOrder,
}
