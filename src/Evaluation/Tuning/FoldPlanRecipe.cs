namespace MlNetDeep;

/// <summary>The arguments of a <see cref="FoldPlan"/>: label, folds, repeats, the validation share inside each fold, the regression loss of the validation baseline, the seed.</summary>
internal sealed record FoldPlanRecipe(string LabelColumnName, int NumberOfFolds, int NumberOfRepeats, double ValidationFraction, RegressionLoss RegressionLoss, int Seed);
